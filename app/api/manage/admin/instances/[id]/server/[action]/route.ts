import { userActor } from "@/lib/activity";
import { NotFoundError } from "@/lib/errors";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";
import { serverActionBody } from "@/lib/servers/schemas";
import { SERVER_ACTIONS, performServerAction, type ServerAction } from "@/lib/servers/service";

/**
 * POST /api/manage/admin/instances/:id/server/{reboot|power-off|power-on|refresh-status}:
 * MSP staff control a customer's server with the same service (rate limit, progress,
 * confirmations) as the customer; the activity log marks the entry as done by the MSP.
 */
export const POST = staffRoute({ permission: "host.power" }, async ({ req, ip, params, auth }) => {
  const instanceId = intIdParam(params, "id", "Instanz nicht gefunden.");
  const action = params.action as ServerAction;
  if (!SERVER_ACTIONS.includes(action)) throw new NotFoundError("Unbekannte Server-Aktion.");
  const body = await parseJsonBody(req, serverActionBody);
  return performServerAction(userActor(auth.principal, ip), {
    instanceId,
    action,
    force: action === "power-off" ? body.force === true : undefined,
  });
});
