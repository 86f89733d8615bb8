import { parseJsonBody } from "@/lib/http/body";
import { accountSecondFactors } from "@/lib/auth/second-factor";
import { setTwoFactor } from "@/lib/auth/two-factor";
import { V1Error } from "@/lib/v1/errors";
import { v1Route } from "@/lib/v1/route";
import { twoFactorSettingsBody } from "@/lib/v1/schemas";

/** E-mail 2FA status (seed fields) plus the other sign-in methods of the account. */
export const GET = v1Route({}, async ({ auth }) => accountSecondFactors(auth.principal.userId));

/** Turns e-mail 2FA on or off; the password confirms it. Not with an API key. */
export const PUT = v1Route({}, async ({ req, auth, ip }) => {
  if (auth.via === "pat") throw new V1Error(403, "forbidden", "Die Zwei-Faktor-Anmeldung kann nicht mit einem API-Schlüssel geändert werden.");
  const input = await parseJsonBody(req, twoFactorSettingsBody);
  return setTwoFactor(auth.principal, input, ip);
});
