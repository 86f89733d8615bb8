import { userActor } from "@/lib/activity";
import { parseJsonBody } from "@/lib/http/body";
import { instanceRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";
import { revokeMandate } from "@/lib/payments/mandates";
import { revokeBody } from "@/lib/payments/sepa-schemas";

export const POST = instanceRoute({ permission: "user.manage" }, async ({ req, ip, auth, params, instance }) => {
  const mandateId = intIdParam(params, "id", "Lastschriftmandat nicht gefunden.");
  await parseJsonBody(req, revokeBody);
  const result = await revokeMandate(userActor(auth.principal, ip), { mandateId, instanceId: instance.instance.id });
  return { message: "Lastschriftmandat widerrufen", ...result };
});
