import { staffRoute } from "@/lib/doors/manage/route";
import { pdfResponse, wantsInline } from "@/lib/doors/kit/files";
import { intIdParam } from "@/lib/http/params";
import { mandatePdf } from "@/lib/payments/mandates";

export const GET = staffRoute({ permission: "invoice.read" }, async ({ req, params }) => {
  return pdfResponse(await mandatePdf(intIdParam(params, "id", "Lastschriftmandat nicht gefunden.")), wantsInline(req));
});
