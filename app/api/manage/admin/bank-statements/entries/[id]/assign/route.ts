import { z } from "zod";
import { userActor } from "@/lib/activity";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";
import { assignBankEntry } from "@/lib/payments/import";

const bodySchema = z.object({
  invoice_id: z.coerce.number({ error: "Bitte eine Rechnung wählen." }).int({ error: "Bitte eine Rechnung wählen." }).positive({ error: "Bitte eine Rechnung wählen." }).max(2_147_483_647, { error: "Rechnung nicht gefunden." }),
});

export const POST = staffRoute({ permission: "invoice.write" }, async ({ req, params, auth, ip }) => {
  const entryId = intIdParam(params, "id", "Bankbuchung nicht gefunden.");
  const { invoice_id } = await parseJsonBody(req, bodySchema);
  return assignBankEntry(userActor(auth.principal, ip), { entryId, invoiceId: invoice_id });
});
