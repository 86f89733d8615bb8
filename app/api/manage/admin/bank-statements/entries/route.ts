import { parseQuery } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { listBankEntries } from "@/lib/payments/import";
import { listBankEntriesQuery } from "@/lib/payments/schemas";

export const GET = staffRoute({ permission: "invoice.read" }, async ({ req }) => {
  return listBankEntries(parseQuery(req, listBankEntriesQuery));
});
