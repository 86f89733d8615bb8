import { NextResponse } from "next/server";
import { getInstanceDetail } from "@/lib/admin/instances";
import { instanceIdParam } from "@/lib/admin/params";
import { inviteUserSchema, listUsersQuery } from "@/lib/admin/schemas";
import { inviteUser, listUsers } from "@/lib/admin/users";
import { parseJsonBody, parseQuery } from "@/lib/http/body";
import { staffRoute } from "@/lib/http/manage-route";

export const GET = staffRoute({ permission: "tenant.read" }, async ({ req, params }) => {
  const id = instanceIdParam(params);
  await getInstanceDetail(id);
  return listUsers({ ...parseQuery(req, listUsersQuery), instance_id: id });
});

/** Invite a customer user of this instance (set-password link by e-mail). */
export const POST = staffRoute({ permission: "user.manage" }, async ({ req, ip, params, auth }) => {
  const id = instanceIdParam(params);
  const input = await parseJsonBody(req, inviteUserSchema);
  return NextResponse.json(await inviteUser({ principal: auth.principal, ip }, id, input), { status: 201 });
});
