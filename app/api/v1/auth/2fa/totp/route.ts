import { principalActor } from "@/lib/activity";
import { passwordBody, totpCodeBody } from "@/lib/auth/schemas";
import { confirmTotp, disableTotp, startTotpSetup } from "@/lib/auth/totp";
import { parseJsonBody } from "@/lib/http/body";
import { refuseApiKey } from "@/lib/doors/v1/account";
import { v1Route } from "@/lib/doors/v1/route";

/** Step 1: the password confirms; new secret + QR code (not active yet). */
export const POST = v1Route({ allowBeforeSecondFactor: true }, async ({ req, auth, ip }) => {
  refuseApiKey(auth);
  return startTotpSetup(principalActor(auth.principal, ip), await parseJsonBody(req, passwordBody));
});

/** Step 2: the first correct code switches the app on; answers with the recovery codes (shown once). */
export const PUT = v1Route({ allowBeforeSecondFactor: true }, async ({ req, auth, ip }) => {
  refuseApiKey(auth);
  return confirmTotp(principalActor(auth.principal, ip), await parseJsonBody(req, totpCodeBody));
});

export const DELETE = v1Route({}, async ({ req, auth, ip }) => {
  refuseApiKey(auth);
  return disableTotp(principalActor(auth.principal, ip), await parseJsonBody(req, passwordBody));
});
