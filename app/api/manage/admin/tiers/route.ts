import { listTiers } from "@/lib/admin/tiers";
import { staffRoute } from "@/lib/http/manage-route";

export const GET = staffRoute({ permission: "tenant.read" }, async () => listTiers());
