import { uuidParam } from "@/lib/http/params";
import { setRolesSchema } from "@/lib/admin/schemas";
import { setUserRoles } from "@/lib/admin/users";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { userActor } from "@/lib/activity";

export const PUT = staffRoute({ permission: "user.manage" }, async ({ req, ip, params, auth }) => {
  const id = uuidParam(params, "id", "Benutzer nicht gefunden.");
  const { roles } = await parseJsonBody(req, setRolesSchema);
  return setUserRoles(userActor(auth.principal, ip), { userId: id, roles });
});
