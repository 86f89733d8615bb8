import { parseJsonBody } from "@/lib/http/body";
import { invoiceIdParam, staffRoute } from "@/lib/invoices/http";
import { draftSchema } from "@/lib/invoices/schemas";
import { deleteDraft, getInvoiceForStaff, updateDraft } from "@/lib/invoices/service";

export const GET = staffRoute("invoice.read", async ({ params }) => {
  return { invoice: await getInvoiceForStaff(invoiceIdParam(params)) };
});

export const PUT = staffRoute("invoice.write", async ({ req, ip, params, auth }) => {
  const id = invoiceIdParam(params);
  const input = await parseJsonBody(req, draftSchema);
  return { message: "Entwurf gespeichert", invoice: await updateDraft(id, input, { principal: auth.principal, ip }) };
});

export const DELETE = staffRoute("invoice.write", async ({ ip, params, auth }) => {
  await deleteDraft(invoiceIdParam(params), { principal: auth.principal, ip });
  return { message: "Entwurf gelöscht" };
});
