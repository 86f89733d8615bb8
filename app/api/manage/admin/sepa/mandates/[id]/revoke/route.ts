import { userActor } from "@/lib/activity";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";
import { revokeMandate } from "@/lib/payments/mandates";
import { revokeBody } from "@/lib/payments/sepa-schemas";

/** Staff record a revocation the customer sent them (letter, mail). */
export const POST = staffRoute({ permission: "invoice.write" }, async ({ req, ip, auth, params }) => {
  const mandateId = intIdParam(params, "id", "Lastschriftmandat nicht gefunden.");
  await parseJsonBody(req, revokeBody);
  return { message: "Lastschriftmandat widerrufen", ...(await revokeMandate(userActor(auth.principal, ip), { mandateId })) };
});
