import { userActor } from "@/lib/activity";
import { bulkActionSchema, runBulkAction } from "@/lib/admin/bulk";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";

/** POST /api/manage/admin/instances/bulk: one action for several instances; the outcome per instance. */
export const POST = staffRoute({ permission: "tenant.read" }, async ({ req, ip, auth }) => {
  const input = await parseJsonBody(req, bulkActionSchema);
  return runBulkAction(userActor(auth.principal, ip), { ...input, permissions: auth.principal.permissions });
});
