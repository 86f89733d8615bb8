import { getInstanceDetail, updateInstance } from "@/lib/admin/instances";
import { intIdParam } from "@/lib/http/params";
import { updateInstanceSchema } from "@/lib/admin/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { userActor } from "@/lib/activity";

export const GET = staffRoute({ permission: "tenant.read" }, async ({ params }) => getInstanceDetail(intIdParam(params, "id", "Instanz nicht gefunden.")));

export const PATCH = staffRoute({ permission: "tenant.manage" }, async ({ req, ip, params, auth }) => {
  const id = intIdParam(params, "id", "Instanz nicht gefunden.");
  const input = await parseJsonBody(req, updateInstanceSchema);
  return updateInstance(userActor(auth.principal, ip), { ...input, instanceId: id });
});
