import { principalActor } from "@/lib/activity";
import { listSessions, signOutEverywhere } from "@/lib/auth/account";
import { v1Route } from "@/lib/doors/v1/route";

export const GET = v1Route({}, async ({ auth }) =>
  listSessions({ userId: auth.principal.userId, sessionId: auth.principal.sessionId, familyId: auth.familyId }),
);

/** "Überall abmelden": ends all sessions and token families of the user, the current one included. */
export const DELETE = v1Route({}, async ({ auth, ip }) => signOutEverywhere(principalActor(auth.principal, ip)));
