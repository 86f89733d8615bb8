import { userActor } from "@/lib/activity";
import { getInstanceDetail } from "@/lib/admin/instances";
import { reactivateSchema } from "@/lib/admin/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";
import { reactivateInstance } from "@/lib/instances/commands";

export const POST = staffRoute({ permission: "tenant.manage" }, async ({ req, ip, params, auth }) => {
  const instanceId = intIdParam(params, "id", "Instanz nicht gefunden.");
  const { reason } = await parseJsonBody(req, reactivateSchema);
  await reactivateInstance(userActor(auth.principal, ip), { instanceId, note: reason });
  return { message: "Instanz reaktiviert.", ...(await getInstanceDetail(instanceId)) };
});
