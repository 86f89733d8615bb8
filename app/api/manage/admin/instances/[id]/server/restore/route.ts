import { userActor } from "@/lib/activity";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";
import { loadInstanceContext } from "@/lib/instances/present";
import { restoreBody } from "@/lib/servers/backups";
import { restoreServer } from "@/lib/servers/service";

/** POST { image_id, confirmation }: staff restore the server from a backup or snapshot (typed confirmation). */
export const POST = staffRoute({ permission: "host.power" }, async ({ req, ip, params, auth }) => {
  const instanceId = intIdParam(params, "id", "Instanz nicht gefunden.");
  await loadInstanceContext(instanceId); // 404 for an unknown instance
  const { image_id, confirmation } = await parseJsonBody(req, restoreBody);
  return restoreServer(userActor(auth.principal, ip), { instanceId, imageId: image_id, confirmation });
});
