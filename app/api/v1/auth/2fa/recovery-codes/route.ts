import { principalActor } from "@/lib/activity";
import { regenerateRecoveryCodes } from "@/lib/auth/second-factor";
import { passwordBody } from "@/lib/auth/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { refuseApiKey } from "@/lib/doors/v1/account";
import { v1Route } from "@/lib/doors/v1/route";

/** Ten new recovery codes (the old ones stop working); the password confirms. Shown once. */
export const POST = v1Route({}, async ({ req, auth, ip }) => {
  refuseApiKey(auth);
  return regenerateRecoveryCodes(principalActor(auth.principal, ip), await parseJsonBody(req, passwordBody));
});
