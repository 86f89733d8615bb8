import { userActor } from "@/lib/activity";
import { staffRoute } from "@/lib/doors/manage/route";
import { issueInvoice } from "@/lib/invoices/commands";
import { invoiceIdParam } from "@/lib/invoices/params";

export const POST = staffRoute({ permission: "invoice.write" }, async ({ ip, params, auth }) => {
  const invoice = await issueInvoice(userActor(auth.principal, ip), { invoiceId: invoiceIdParam(params) });
  return { message: `Rechnung ${invoice.invoice_number} ausgestellt und versendet`, invoice };
});
