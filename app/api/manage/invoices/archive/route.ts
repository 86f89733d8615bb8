import { parseQuery } from "@/lib/http/body";
import { instanceRoute } from "@/lib/doors/manage/route";
import { zipResponse } from "@/lib/doors/kit/files";
import { archiveQuery } from "@/lib/invoices/schemas";
import { invoiceYearArchive } from "@/lib/invoices/year-archive";

export const GET = instanceRoute({ permission: "invoice.read" }, async ({ req, instance }) => {
  const { year } = parseQuery(req, archiveQuery);
  return zipResponse(await invoiceYearArchive(instance.instance.id, year));
});
