import { getUptime } from "@/lib/health/uptime";
import { instanceRoute } from "@/lib/doors/manage/route";

/** GET /api/manage/server/uptime: 90 days of uptime and incidents of the portal and MeshCentral URL. */
export const GET = instanceRoute({ permission: "host.read" }, async ({ instance }) => getUptime(instance.instance.id));
