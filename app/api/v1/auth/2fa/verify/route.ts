import { anonymousActor } from "@/lib/activity";
import { completeApiTwoFactor } from "@/lib/auth/login";
import { parseJsonBody } from "@/lib/http/body";
import { v1Public } from "@/lib/doors/v1/route";
import { verifyTwoFactorBody } from "@/lib/doors/v1/schemas";

export const POST = v1Public(async ({ req, ip }) => {
  const input = await parseJsonBody(req, verifyTwoFactorBody);
  return completeApiTwoFactor(anonymousActor(ip), { ...input, userAgent: req.headers.get("user-agent") });
});
