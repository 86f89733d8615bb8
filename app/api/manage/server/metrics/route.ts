import { parseQuery } from "@/lib/http/body";
import { instanceRoute } from "@/lib/doors/manage/route";
import { getServerMetrics, metricsQuery } from "@/lib/servers/metrics";

/** GET /api/manage/server/metrics?range=1h|24h|7d|30d: CPU, disk and network of the instance's server. */
export const GET = instanceRoute({ permission: "host.read" }, async ({ req, instance }) =>
  getServerMetrics(instance.instance.id, parseQuery(req, metricsQuery)),
);
