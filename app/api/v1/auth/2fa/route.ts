import { principalActor } from "@/lib/activity";
import { NextResponse } from "next/server";
import { parseJsonBody } from "@/lib/http/body";
import { accountSecondFactors } from "@/lib/auth/second-factor";
import { setTwoFactor } from "@/lib/auth/two-factor";
import { refuseApiKey } from "@/lib/doors/v1/account";
import { v1Route } from "@/lib/doors/v1/route";
import { twoFactorSettingsBody } from "@/lib/doors/v1/schemas";

/** E-mail 2FA status (seed fields) plus the other sign-in methods of the account. */
export const GET = v1Route({ allowBeforeSecondFactor: true }, async ({ auth }) => accountSecondFactors(auth.principal.userId));

/**
 * E-mail 2FA off, or on with a test code: `enabled: true` mails the code (202,
 * still off) and `PUT /api/v1/auth/2fa/email/confirmation` switches it on.
 * The password confirms. Not with an API key.
 */
export const PUT = v1Route({}, async ({ req, auth, ip }) => {
  refuseApiKey(auth);
  const input = await parseJsonBody(req, twoFactorSettingsBody);
  const result = await setTwoFactor(principalActor(auth.principal, ip), input);
  return result.confirmation_pending ? NextResponse.json(result, { status: 202 }) : result;
});
