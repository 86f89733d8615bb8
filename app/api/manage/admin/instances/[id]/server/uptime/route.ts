import { getUptime } from "@/lib/health/uptime";
import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";

/** GET: the uptime of the customer's server page, for staff (404 for an unknown instance). */
export const GET = staffRoute({ permission: "host.read" }, async ({ params }) => getUptime(intIdParam(params, "id", "Instanz nicht gefunden.")));
