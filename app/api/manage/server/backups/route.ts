import { userActor } from "@/lib/activity";
import { parseJsonBody } from "@/lib/http/body";
import { instanceRoute } from "@/lib/doors/manage/route";
import { backupsBody, getBackups, setBackups } from "@/lib/servers/backups";

/** GET: backup status, the last backups and the snapshots of the instance's server. */
export const GET = instanceRoute({ permission: "host.read" }, async ({ instance }) => getBackups(instance.instance.id));

/** PUT { enabled }: switch Hetzner backups on (billed monthly) or off. */
export const PUT = instanceRoute({ permission: "host.power" }, async ({ req, ip, auth: { principal }, instance }) => {
  const { enabled } = await parseJsonBody(req, backupsBody);
  return setBackups(userActor(principal, ip), { instanceId: instance.instance.id, enabled });
});
