import { instanceRoute } from "@/lib/doors/manage/route";
import { pdfResponse, wantsInline } from "@/lib/doors/kit/files";
import { intIdParam } from "@/lib/http/params";
import { mandatePdf } from "@/lib/payments/mandates";

export const GET = instanceRoute({ permission: "invoice.read" }, async ({ req, params, instance }) => {
  return pdfResponse(await mandatePdf(intIdParam(params, "id", "Lastschriftmandat nicht gefunden."), instance.instance.id), wantsInline(req));
});
