import { NextResponse } from "next/server";
import { cancelEmailTwoFactor, confirmEmailTwoFactor, startEmailTwoFactor } from "@/lib/auth/email-two-factor";
import { emailCodeBody, passwordBody } from "@/lib/auth/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { refuseApiKey } from "@/lib/doors/v1/account";
import { v1Route } from "@/lib/doors/v1/route";

/** "E-Mail-Bestätigung einschalten": the password confirms, a 6-digit test code is mailed (e-mail 2FA stays off). */
export const POST = v1Route({}, async ({ req, auth, ip }) => {
  refuseApiKey(auth);
  const { password } = await parseJsonBody(req, passwordBody);
  return NextResponse.json(await startEmailTwoFactor(auth.principal, password, ip), { status: 202 });
});

/** The right test code switches e-mail 2FA on. */
export const PUT = v1Route({}, async ({ req, auth, ip }) => {
  refuseApiKey(auth);
  const { code } = await parseJsonBody(req, emailCodeBody);
  return confirmEmailTwoFactor(auth.principal, code, ip);
});

/** "Abbrechen": the open test code stops working. */
export const DELETE = v1Route({}, async ({ auth, ip }) => {
  refuseApiKey(auth);
  return cancelEmailTwoFactor(auth.principal, ip);
});
