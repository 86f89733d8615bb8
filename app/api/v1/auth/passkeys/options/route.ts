import { principalActor } from "@/lib/activity";
import { passkeyRegistrationOptions } from "@/lib/auth/passkeys";
import { V1Error } from "@/lib/doors/v1/errors";
import { v1Route } from "@/lib/doors/v1/route";

/** Registration step 1: options for navigator.credentials.create(); the challenge is kept in PostgreSQL. */
export const POST = v1Route({ recentAuthentication: "account", allowBeforeSecondFactor: true }, async ({ auth, ip }) => {
  if (auth.via === "pat") throw new V1Error(403, "forbidden", "Passkeys können nicht mit einem API-Schlüssel hinzugefügt werden.");
  return passkeyRegistrationOptions(principalActor(auth.principal, ip));
});
