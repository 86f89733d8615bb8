import { userActor } from "@/lib/activity";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { cancelInvoice } from "@/lib/invoices/commands";
import { invoiceIdParam } from "@/lib/invoices/params";
import { cancelSchema } from "@/lib/invoices/schemas";

export const POST = staffRoute({ permission: "invoice.write" }, async ({ req, ip, params, auth }) => {
  const id = invoiceIdParam(params);
  const { reason } = await parseJsonBody(req, cancelSchema);
  const result = await cancelInvoice(userActor(auth.principal, ip), { invoiceId: id, reason });
  return { message: `Rechnung storniert, Stornorechnung ${result.credit_note.invoice_number} erstellt`, ...result };
});
