import { NextResponse } from "next/server";
import { userActor } from "@/lib/activity";
import { parseJsonBody } from "@/lib/http/body";
import { instanceRoute } from "@/lib/doors/manage/route";
import { grantMandate, listMandates } from "@/lib/payments/mandates";
import { mandateBody } from "@/lib/payments/sepa-schemas";

/** The instance's SEPA mandates (the active one first), the creditor ID and the pre-notification lead time. */
export const GET = instanceRoute({ permission: "invoice.read" }, async ({ instance }) => listMandates(instance.instance.id));

/** A customer admin grants a SEPA direct-debit mandate. */
export const POST = instanceRoute({ permission: "user.manage" }, async ({ req, ip, auth, instance }) => {
  const input = await parseJsonBody(req, mandateBody);
  const result = await grantMandate(userActor(auth.principal, ip), { ...input, instanceId: instance.instance.id });
  return NextResponse.json({ message: "Lastschriftmandat erteilt", ...result }, { status: 201 });
});
