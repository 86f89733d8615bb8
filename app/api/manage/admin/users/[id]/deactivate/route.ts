import { userIdParam } from "@/lib/admin/params";
import { deactivateUser } from "@/lib/admin/users";
import { staffRoute } from "@/lib/http/manage-route";

export const POST = staffRoute({ permission: "user.manage" }, async ({ ip, params, auth }) =>
  deactivateUser({ principal: auth.principal, ip }, userIdParam(params)),
);
