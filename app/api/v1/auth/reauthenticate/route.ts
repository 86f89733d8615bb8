import { principalActor } from "@/lib/activity";
import { reauthenticate } from "@/lib/auth/reauthentication";
import { passwordBody } from "@/lib/auth/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { v1Route } from "@/lib/doors/v1/route";

/** The password once: sensitive account changes of this login session need no further confirmation for 10 minutes. */
export const POST = v1Route({ allowBeforeSecondFactor: true }, async ({ req, auth, ip }) => reauthenticate(principalActor(auth.principal, ip), await parseJsonBody(req, passwordBody)));
