import { passwordBody, totpCodeBody } from "@/lib/auth/schemas";
import { confirmTotp, disableTotp, startTotpSetup } from "@/lib/auth/totp";
import { parseJsonBody } from "@/lib/http/body";
import { V1Error } from "@/lib/v1/errors";
import { v1Route, type V1Context } from "@/lib/v1/route";


function refuseApiKey(auth: V1Context["auth"]) {
  if (auth.via === "pat") throw new V1Error(403, "forbidden", "Die Anmeldemethoden können nicht mit einem API-Schlüssel geändert werden.");
}

/** Step 1: new secret + QR code (not active yet). */
export const POST = v1Route({}, async ({ auth }) => {
  refuseApiKey(auth);
  return startTotpSetup(auth.principal);
});

/** Step 2: the first correct code switches the app on; answers with the recovery codes (shown once). */
export const PUT = v1Route({}, async ({ req, auth, ip }) => {
  refuseApiKey(auth);
  const { code } = await parseJsonBody(req, totpCodeBody);
  return confirmTotp(auth.principal, code, ip);
});

export const DELETE = v1Route({}, async ({ req, auth, ip }) => {
  refuseApiKey(auth);
  const { password } = await parseJsonBody(req, passwordBody);
  return disableTotp(auth.principal, password, ip);
});
