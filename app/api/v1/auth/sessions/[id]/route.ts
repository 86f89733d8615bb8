import { principalActor } from "@/lib/activity";
import { endSession } from "@/lib/auth/account";
import { uuidParam } from "@/lib/http/params";
import { v1Route } from "@/lib/doors/v1/route";

/** Ends one of the user's sessions or API v1 logins. */
export const DELETE = v1Route({}, async ({ auth, params, ip }) =>
  endSession(principalActor(auth.principal, ip), { id: uuidParam(params, "id", "Die Sitzung wurde nicht gefunden.") }),
);
