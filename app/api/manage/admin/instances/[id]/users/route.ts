import { NextResponse } from "next/server";
import { getInstanceDetail } from "@/lib/admin/instances";
import { intIdParam } from "@/lib/http/params";
import { inviteUserSchema, listUsersQuery } from "@/lib/admin/schemas";
import { inviteUser, listUsers } from "@/lib/admin/users";
import { parseJsonBody, parseQuery } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { userActor } from "@/lib/activity";

export const GET = staffRoute({ permission: "tenant.read" }, async ({ req, params }) => {
  const id = intIdParam(params, "id", "Instanz nicht gefunden.");
  await getInstanceDetail(id);
  return listUsers({ ...parseQuery(req, listUsersQuery), instance_id: id });
});

/** Invite a customer user of this instance (set-password link by e-mail). */
export const POST = staffRoute({ permission: "user.manage" }, async ({ req, ip, params, auth }) => {
  const id = intIdParam(params, "id", "Instanz nicht gefunden.");
  const input = await parseJsonBody(req, inviteUserSchema);
  return NextResponse.json(await inviteUser(userActor(auth.principal, ip), { ...input, instanceId: id }), { status: 201 });
});
