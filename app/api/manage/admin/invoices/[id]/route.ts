import { userActor } from "@/lib/activity";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { deleteDraft, updateDraft } from "@/lib/invoices/drafts";
import { invoiceIdParam } from "@/lib/invoices/params";
import { getInvoiceForStaff } from "@/lib/invoices/queries";
import { draftSchema } from "@/lib/invoices/schemas";

export const GET = staffRoute({ permission: "invoice.read" }, async ({ params }) => {
  return { invoice: await getInvoiceForStaff(invoiceIdParam(params)) };
});

export const PUT = staffRoute({ permission: "invoice.write" }, async ({ req, ip, params, auth }) => {
  const id = invoiceIdParam(params);
  const input = await parseJsonBody(req, draftSchema);
  return { message: "Entwurf gespeichert", invoice: await updateDraft(userActor(auth.principal, ip), { ...input, invoiceId: id }) };
});

export const DELETE = staffRoute({ permission: "invoice.write" }, async ({ ip, params, auth }) => {
  await deleteDraft(userActor(auth.principal, ip), { invoiceId: invoiceIdParam(params) });
  return { message: "Entwurf gelöscht" };
});
