import { principalActor } from "@/lib/activity";
import { logout } from "@/lib/auth/login";
import { V1Error } from "@/lib/doors/v1/errors";
import { v1Route } from "@/lib/doors/v1/route";

/** Ends the login session of the access token: its refresh-token family is revoked, access tokens stop working at once. */
export const POST = v1Route({ write: false, allowWhileImpersonating: true, allowBeforeSecondFactor: true }, async ({ auth, ip }) => {
  if (auth.via === "pat") {
    throw new V1Error(400, "bad_request", "API-Schlüssel werden nicht abgemeldet, sondern unter /api/v1/auth/api-keys widerrufen.");
  }
  await logout(principalActor(auth.principal, ip), { familyId: auth.familyId, sessionId: auth.principal.sessionId, door: auth.via === "jwt" ? "api_v1" : "browser" });
  return { message: "Abgemeldet." };
});
