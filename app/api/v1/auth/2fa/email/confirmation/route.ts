import { principalActor } from "@/lib/activity";
import { NextResponse } from "next/server";
import { cancelEmailTwoFactor, confirmEmailTwoFactor, startEmailTwoFactor } from "@/lib/auth/email-two-factor";
import { emailCodeBody, passwordBody } from "@/lib/auth/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { refuseApiKey } from "@/lib/doors/v1/account";
import { v1Route } from "@/lib/doors/v1/route";

/** "E-Mail-Bestätigung einschalten": the password confirms, a 6-digit test code is mailed (e-mail 2FA stays off). */
export const POST = v1Route({}, async ({ req, auth, ip }) => {
  refuseApiKey(auth);
  const input = await parseJsonBody(req, passwordBody);
  return NextResponse.json(await startEmailTwoFactor(principalActor(auth.principal, ip), input), { status: 202 });
});

/** The right test code switches e-mail 2FA on. */
export const PUT = v1Route({}, async ({ req, auth, ip }) => {
  refuseApiKey(auth);
  return confirmEmailTwoFactor(principalActor(auth.principal, ip), await parseJsonBody(req, emailCodeBody));
});

/** "Abbrechen": the open test code stops working. */
export const DELETE = v1Route({}, async ({ auth, ip }) => {
  refuseApiKey(auth);
  return cancelEmailTwoFactor(principalActor(auth.principal, ip));
});
