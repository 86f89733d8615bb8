import { invoiceIdParam, staffRoute } from "@/lib/invoices/http";
import { issueInvoice } from "@/lib/invoices/service";

export const POST = staffRoute("invoice.write", async ({ ip, params, auth }) => {
  const invoice = await issueInvoice(invoiceIdParam(params), { principal: auth.principal, ip });
  return { message: `Rechnung ${invoice.invoice_number} ausgestellt und versendet`, invoice };
});
