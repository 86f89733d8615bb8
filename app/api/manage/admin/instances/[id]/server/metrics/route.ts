import { parseQuery } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";
import { loadInstanceContext } from "@/lib/instances/present";
import { getServerMetrics, metricsQuery } from "@/lib/servers/metrics";

/** GET: the metrics of the customer's server page, for staff. */
export const GET = staffRoute({ permission: "host.read" }, async ({ req, params }) => {
  const instanceId = intIdParam(params, "id", "Instanz nicht gefunden.");
  await loadInstanceContext(instanceId); // 404 for an unknown instance
  return getServerMetrics(instanceId, parseQuery(req, metricsQuery));
});
