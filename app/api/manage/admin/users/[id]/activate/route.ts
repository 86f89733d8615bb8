import { uuidParam } from "@/lib/http/params";
import { activateUser } from "@/lib/admin/users";
import { staffRoute } from "@/lib/doors/manage/route";
import { userActor } from "@/lib/activity";

export const POST = staffRoute({ permission: "user.manage" }, async ({ ip, params, auth }) =>
  activateUser(userActor(auth.principal, ip), { userId: uuidParam(params, "id", "Benutzer nicht gefunden.") }),
);
