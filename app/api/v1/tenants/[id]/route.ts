import { v1Route } from "@/lib/doors/v1/route";
import { getTenant } from "@/lib/doors/v1/tenants";

export const GET = v1Route({ permission: "tenant.read", staffOnly: true }, async ({ params }) => getTenant(String(params.id)));
