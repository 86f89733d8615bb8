import { userActor } from "@/lib/activity";
import { getInstanceDetail } from "@/lib/admin/instances";
import { suspendSchema } from "@/lib/admin/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";
import { suspendInstance } from "@/lib/instances/commands";

export const POST = staffRoute({ permission: "tenant.manage" }, async ({ req, ip, params, auth }) => {
  const instanceId = intIdParam(params, "id", "Instanz nicht gefunden.");
  const { reason } = await parseJsonBody(req, suspendSchema);
  await suspendInstance(userActor(auth.principal, ip), { instanceId, reason });
  return { message: "Instanz gesperrt.", ...(await getInstanceDetail(instanceId)) };
});
