import { parseJsonBody } from "@/lib/http/body";
import { invoiceIdParam, staffRoute } from "@/lib/invoices/http";
import { cancelSchema } from "@/lib/invoices/schemas";
import { cancelInvoice } from "@/lib/invoices/service";

export const POST = staffRoute("invoice.write", async ({ req, ip, params, auth }) => {
  const id = invoiceIdParam(params);
  const { reason } = await parseJsonBody(req, cancelSchema);
  const result = await cancelInvoice(id, reason, { principal: auth.principal, ip });
  return { message: `Rechnung storniert, Stornorechnung ${result.credit_note.invoice_number} erstellt`, ...result };
});
