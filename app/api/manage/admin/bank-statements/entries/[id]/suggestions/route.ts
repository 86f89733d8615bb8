import { parseQuery } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";
import { suggestInvoices } from "@/lib/payments/assign";
import { suggestionsQuery } from "@/lib/payments/schemas";

export const GET = staffRoute({ permission: "invoice.read" }, async ({ req, params }) => {
  const entryId = intIdParam(params, "id", "Bankbuchung nicht gefunden.");
  return suggestInvoices(entryId, parseQuery(req, suggestionsQuery));
});
