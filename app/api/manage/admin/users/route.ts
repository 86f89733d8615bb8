import { NextResponse } from "next/server";
import { inviteUserSchema, listUsersQuery } from "@/lib/admin/schemas";
import { inviteUser, listUsers } from "@/lib/admin/users";
import { parseJsonBody, parseQuery } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { ID_TOO_LARGE, MAX_INT_ID, z } from "@/lib/validation";
import { userActor } from "@/lib/activity";

export const GET = staffRoute({ permission: "user.manage" }, async ({ req }) => listUsers(parseQuery(req, listUsersQuery)));

const schema = inviteUserSchema.extend({
  instance_id: z.number({ error: "instance_id muss eine Zahl sein." }).int().positive().max(MAX_INT_ID, ID_TOO_LARGE).nullable().optional(),
});

/** Invite an MSP staff member (no instance_id) or a customer user (instance_id). */
export const POST = staffRoute({ permission: "user.manage" }, async ({ req, ip, auth }) => {
  const { instance_id, ...input } = await parseJsonBody(req, schema);
  return NextResponse.json(await inviteUser(userActor(auth.principal, ip), { ...input, instanceId: instance_id ?? null }), { status: 201 });
});
