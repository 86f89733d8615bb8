import { userIdParam } from "@/lib/admin/params";
import { resetTwoFactor } from "@/lib/admin/users";
import { staffRoute } from "@/lib/http/manage-route";

export const POST = staffRoute({ permission: "user.manage" }, async ({ ip, params, auth }) =>
  resetTwoFactor({ principal: auth.principal, ip }, userIdParam(params)),
);
