import { userActor } from "@/lib/activity";
import { instanceRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";
import { deleteSnapshot } from "@/lib/servers/backups";

/** DELETE: one of the snapshots of the instance's own server. */
export const DELETE = instanceRoute({ permission: "host.power" }, async ({ ip, params, auth: { principal }, instance }) =>
  deleteSnapshot(userActor(principal, ip), { instanceId: instance.instance.id, imageId: intIdParam(params, "id", "Diesen Snapshot gibt es nicht.") }),
);
