import { listTiers } from "@/lib/admin/tiers";
import { staffRoute } from "@/lib/doors/manage/route";

export const GET = staffRoute({ permission: "tenant.read" }, async () => listTiers());
