import { instanceRoute } from "@/lib/doors/manage/route";
import { instanceStatus } from "@/lib/status";

export const GET = instanceRoute({ allowSuspended: true }, async ({ instance, auth }) => instanceStatus(instance, { pdfLinks: auth.principal.permissions.has("invoice.read") }));
