import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";
import { loadInstanceContext } from "@/lib/instances/present";
import { getBackups } from "@/lib/servers/backups";

/** GET: the backups and snapshots of the customer's server, for staff. */
export const GET = staffRoute({ permission: "host.read" }, async ({ params }) => {
  const instanceId = intIdParam(params, "id", "Instanz nicht gefunden.");
  await loadInstanceContext(instanceId); // 404 for an unknown instance
  return getBackups(instanceId);
});
