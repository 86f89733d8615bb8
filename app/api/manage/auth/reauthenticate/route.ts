import { principalActor } from "@/lib/activity";
import { reauthenticate } from "@/lib/auth/reauthentication";
import { passwordBody } from "@/lib/auth/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { sessionRoute } from "@/lib/doors/manage/route";

/** The password once: sensitive account changes of this session need no further confirmation for 10 minutes. */
export const POST = sessionRoute(async ({ req, auth, ip }) => reauthenticate(principalActor(auth.principal, ip), await parseJsonBody(req, passwordBody)), {
  allowBeforeSecondFactor: true,
});
