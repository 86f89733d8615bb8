import { userActor } from "@/lib/activity";
import { parseJsonBody } from "@/lib/http/body";
import { instanceRoute } from "@/lib/http/manage-route";
import { z } from "@/lib/validation";
import { getServerView, performServerAction, type ServerAction } from "./service";

export const serverActionBody = z.object({ force: z.boolean({ error: "force muss true oder false sein." }).optional() }).strict();

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
