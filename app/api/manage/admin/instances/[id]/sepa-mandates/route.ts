import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";
import { listMandates } from "@/lib/payments/mandates";

/** Staff: the SEPA mandates of one customer instance (active, flagged, revoked). */
export const GET = staffRoute({ permission: "invoice.read" }, async ({ params }) => listMandates(intIdParam(params, "id", "Instanz nicht gefunden.")));
