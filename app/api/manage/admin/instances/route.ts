import { NextResponse } from "next/server";
import { createInstance, listInstances } from "@/lib/admin/instances";
import { createInstanceSchema, listInstancesQuery } from "@/lib/admin/schemas";
import { parseJsonBody, parseQuery } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { userActor } from "@/lib/activity";

export const GET = staffRoute({ permission: "tenant.read" }, async ({ req }) => listInstances(parseQuery(req, listInstancesQuery)));

export const POST = staffRoute({ permission: "tenant.manage" }, async ({ req, ip, auth }) => {
  const input = await parseJsonBody(req, createInstanceSchema);
  const result = await createInstance(userActor(auth.principal, ip), input);
  return NextResponse.json({ message: "Instanz angelegt.", ...result }, { status: 201 });
});
