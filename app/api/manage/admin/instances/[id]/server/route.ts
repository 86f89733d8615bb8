import { userActor } from "@/lib/activity";
import { getInstanceDetail } from "@/lib/admin/instances";
import { linkServerSchema } from "@/lib/admin/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";
import { linkServer, unlinkServer } from "@/lib/instances/commands";
import { loadInstanceContext } from "@/lib/instances/present";
import { getServerView } from "@/lib/servers/service";

/** GET: the server view of the customer's server page (status, running action, progress) for staff. */
export const GET = staffRoute({ permission: "host.read" }, async ({ params, auth }) => {
  const instanceId = intIdParam(params, "id", "Instanz nicht gefunden.");
  await loadInstanceContext(instanceId); // 404 for an unknown instance
  const view = await getServerView(instanceId);
  return { ...view, can_control: auth.principal.permissions.has("host.power") };
});

/** Link (PUT) or unlink (DELETE) the instance's Hetzner server. */
export const PUT = staffRoute({ permission: "tenant.manage" }, async ({ req, ip, params, auth }) => {
  const instanceId = intIdParam(params, "id", "Instanz nicht gefunden.");
  const { hetzner_server_id } = await parseJsonBody(req, linkServerSchema);
  const { linked } = await linkServer(userActor(auth.principal, ip), { instanceId, hetznerServerId: hetzner_server_id });
  return { message: linked ? "Hetzner-Server verknüpft." : "Dieser Server ist bereits verknüpft.", ...(await getInstanceDetail(instanceId)) };
});

export const DELETE = staffRoute({ permission: "tenant.manage" }, async ({ ip, params, auth }) => {
  const instanceId = intIdParam(params, "id", "Instanz nicht gefunden.");
  await unlinkServer(userActor(auth.principal, ip), { instanceId });
  return { message: "Hetzner-Server getrennt.", ...(await getInstanceDetail(instanceId)) };
});
