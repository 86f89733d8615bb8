import { previewBillingRun } from "@/lib/billing/run";
import { periodQuery } from "@/lib/billing/schemas";
import { parseQuery } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";

export const GET = staffRoute({ permission: "invoice.read" }, async ({ req }) => {
  const { period } = parseQuery(req, periodQuery);
  return { preview: await previewBillingRun(period) };
});
