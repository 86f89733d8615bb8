import { userActor } from "@/lib/activity";
import { SERVER_ACTIONS, type ServerAction } from "@/lib/servers/service";
import { V1Error } from "@/lib/doors/v1/errors";
import { hostAction } from "@/lib/doors/v1/hosts";
import { v1TenantRoute } from "@/lib/doors/v1/route";

/** POST /api/v1/hosts/{id}/{reboot|power-off|power-on|refresh-status} */
export const POST = v1TenantRoute({ permission: "host.power" }, async ({ tenant, params, auth, ip }) => {
  const action = String(params.action) as ServerAction;
  if (!SERVER_ACTIONS.includes(action)) {
    throw new V1Error(404, "not_found", `Unbekannte Aktion. Erlaubt: ${SERVER_ACTIONS.join(", ")}.`);
  }
  return hostAction(tenant, String(params.id), action, userActor(auth.principal, ip));
});
