import { V1Error } from "./errors";
import type { V1Context } from "./route";

/**
 * The account's sign-in methods change only with a login of the person
 * (JWT or the portal's session), never with a personal access token.
 */
export function refuseApiKey(auth: V1Context["auth"]) {
  if (auth.via === "pat") throw new V1Error(403, "forbidden", "Die Anmeldemethoden können nicht mit einem API-Schlüssel geändert werden.");
}
