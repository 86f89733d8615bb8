import { userActor } from "@/lib/activity";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";
import { unassignBankEntry } from "@/lib/payments/assign";
import { unassignBankEntryBody } from "@/lib/payments/schemas";

export const POST = staffRoute({ permission: "invoice.write" }, async ({ req, params, auth, ip }) => {
  const entryId = intIdParam(params, "id", "Bankbuchung nicht gefunden.");
  const { allocation_id, reason } = await parseJsonBody(req, unassignBankEntryBody);
  return unassignBankEntry(userActor(auth.principal, ip), { entryId, allocationId: allocation_id, reason });
});
