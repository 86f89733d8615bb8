import { logActivity } from "@/lib/activity";
import { revokeSession } from "@/lib/auth/sessions";
import { V1Error } from "@/lib/v1/errors";
import { v1Route } from "@/lib/v1/route";
import { revokeFamily } from "@/lib/v1/tokens";

/** Ends the login session of the access token: its refresh-token family is revoked, access tokens stop working at once. */
export const POST = v1Route({ write: false }, async ({ auth, ip }) => {
  if (auth.via === "pat") {
    throw new V1Error(400, "bad_request", "API-Schlüssel werden nicht abgemeldet, sondern unter /api/v1/auth/api-keys widerrufen.");
  }
  if (auth.via === "jwt" && auth.familyId) await revokeFamily(auth.familyId, "logout");
  if (auth.via === "browser" && auth.principal.sessionId) await revokeSession(auth.principal.sessionId);
  await logActivity({
    instanceId: auth.principal.instanceId,
    userId: auth.principal.userId,
    actorName: auth.principal.name,
    action: "api.logout",
    description: "Logout über API v1",
    ip,
  });
  return { message: "Abgemeldet." };
});
