import { userActor } from "@/lib/activity";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";
import { assignBankEntry } from "@/lib/payments/assign";
import { assignBankEntryBody } from "@/lib/payments/schemas";

export const POST = staffRoute({ permission: "invoice.write" }, async ({ req, params, auth, ip }) => {
  const entryId = intIdParam(params, "id", "Bankbuchung nicht gefunden.");
  const body = await parseJsonBody(req, assignBankEntryBody);
  return assignBankEntry(userActor(auth.principal, ip), { entryId, ...body });
});
