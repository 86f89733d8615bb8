import { z } from "zod";
import { parseQuery } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { listBankEntries } from "@/lib/payments/import";

const querySchema = z.object({
  status: z.enum(["unmatched", "open", "matched", "partially_matched", "ignored"], { error: "Unbekannter Status." }).optional(),
});

export const GET = staffRoute({ permission: "invoice.read" }, async ({ req }) => {
  return listBankEntries(parseQuery(req, querySchema));
});
