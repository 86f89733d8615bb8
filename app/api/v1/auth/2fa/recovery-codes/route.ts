import { regenerateRecoveryCodes } from "@/lib/auth/second-factor";
import { passwordBody } from "@/lib/auth/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { V1Error } from "@/lib/v1/errors";
import { v1Route } from "@/lib/v1/route";

/** Ten new recovery codes (the old ones stop working); the password confirms. Shown once. */
export const POST = v1Route({}, async ({ req, auth, ip }) => {
  if (auth.via === "pat") throw new V1Error(403, "forbidden", "Die Anmeldemethoden können nicht mit einem API-Schlüssel geändert werden.");
  const { password } = await parseJsonBody(req, passwordBody);
  return regenerateRecoveryCodes(auth.principal, password, ip);
});
