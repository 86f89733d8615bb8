import { passwordBody, totpCodeBody } from "@/lib/auth/schemas";
import { confirmTotp, disableTotp, startTotpSetup } from "@/lib/auth/totp";
import { parseJsonBody } from "@/lib/http/body";
import { refuseApiKey } from "@/lib/doors/v1/account";
import { v1Route } from "@/lib/doors/v1/route";

/** Step 1: the password confirms; new secret + QR code (not active yet). */
export const POST = v1Route({ allowBeforeSecondFactor: true }, async ({ req, auth, ip }) => {
  refuseApiKey(auth);
  const { password } = await parseJsonBody(req, passwordBody);
  return startTotpSetup(auth.principal, password, ip);
});

/** Step 2: the first correct code switches the app on; answers with the recovery codes (shown once). */
export const PUT = v1Route({ allowBeforeSecondFactor: true }, async ({ req, auth, ip }) => {
  refuseApiKey(auth);
  const { code } = await parseJsonBody(req, totpCodeBody);
  return confirmTotp(auth.principal, code, ip);
});

export const DELETE = v1Route({}, async ({ req, auth, ip }) => {
  refuseApiKey(auth);
  const { password } = await parseJsonBody(req, passwordBody);
  return disableTotp(auth.principal, password, ip);
});
