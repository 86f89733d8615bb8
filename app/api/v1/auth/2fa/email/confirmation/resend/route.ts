import { principalActor } from "@/lib/activity";
import { NextResponse } from "next/server";
import { resendEmailTwoFactorCode } from "@/lib/auth/email-two-factor";
import { refuseApiKey } from "@/lib/doors/v1/account";
import { v1Route } from "@/lib/doors/v1/route";

/** "Code erneut senden": a new test code for the open confirmation; the previous one stops counting. */
export const POST = v1Route({}, async ({ auth, ip }) => {
  refuseApiKey(auth);
  return NextResponse.json(await resendEmailTwoFactorCode(principalActor(auth.principal, ip)), { status: 202 });
});
