import { principalActor } from "@/lib/activity";
import { removePasskey } from "@/lib/auth/passkeys";
import { uuidParam } from "@/lib/http/params";
import { V1Error } from "@/lib/doors/v1/errors";
import { v1Route } from "@/lib/doors/v1/route";

export const DELETE = v1Route({ recentAuthentication: "account" }, async ({ auth, params, ip }) => {
  if (auth.via === "pat") throw new V1Error(403, "forbidden", "Passkeys können nicht mit einem API-Schlüssel entfernt werden.");
  return removePasskey(principalActor(auth.principal, ip), { id: uuidParam(params, "id", "Der Passkey wurde nicht gefunden.") });
});
