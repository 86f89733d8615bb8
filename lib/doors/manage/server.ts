import { userActor } from "@/lib/activity";
import { parseJsonBody } from "@/lib/http/body";
import { instanceRoute } from "@/lib/doors/manage/route";
import { serverActionBody } from "@/lib/servers/schemas";
import { getServerView, performServerAction, type ServerAction } from "@/lib/servers/service";

/** POST /api/manage/server/<action>: thin handler over performServerAction. */
export function serverActionRoute(action: ServerAction) {
  return instanceRoute({ permission: "host.power" }, async ({ req, ip, auth: { principal }, instance }) => {
    const body = await parseJsonBody(req, serverActionBody);
    return performServerAction(userActor(principal, ip), {
      instanceId: instance.instance.id,
      action,
      force: action === "power-off" ? body.force === true : undefined,
    });
  });
}

/** GET /api/manage/server: server info, latest action and its progress (polled by the UI). */
export const serverViewRoute = instanceRoute({ permission: "host.read" }, async ({ auth: { principal }, instance }) => {
  const view = await getServerView(instance.instance.id);
  return { ...view, can_control: principal.permissions.has("host.power") };
});
