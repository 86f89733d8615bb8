import { listHosts } from "@/lib/doors/v1/hosts";
import { v1TenantRoute } from "@/lib/doors/v1/route";

export const GET = v1TenantRoute({ permission: "host.read" }, async ({ tenant }) => listHosts(tenant));
