import { principalActor } from "@/lib/activity";
import { setInstanceSecondFactorRule } from "@/lib/auth/second-factor-policy";
import { parseJsonBody } from "@/lib/http/body";
import { instanceRoute } from "@/lib/doors/manage/route";
import { z } from "@/lib/validation";

const schema = z.object({ required: z.boolean({ error: "required muss true oder false sein." }) });

/** The instance's rule: every user needs an authenticator app or a passkey (customer admins, `user.manage`). */
export const GET = instanceRoute({ permission: "user.manage" }, async ({ instance }) => ({ require_two_factor: instance.instance.requireTwoFactor }));

export const PUT = instanceRoute({ permission: "user.manage", recentAuthentication: true }, async ({ req, auth, ip, instance }) => {
  const { required } = await parseJsonBody(req, schema);
  return setInstanceSecondFactorRule(principalActor(auth.principal, ip), { instanceId: instance.instance.id, required });
});
