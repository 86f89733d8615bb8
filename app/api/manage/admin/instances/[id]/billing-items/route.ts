import { NextResponse } from "next/server";
import { userActor } from "@/lib/activity";
import { addPlanItem, listPlanItems, removePlanItem } from "@/lib/billing/items";
import { itemIdQuery, planItemBody } from "@/lib/billing/schemas";
import { parseJsonBody, parseQuery } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";

const instanceId = (params: Parameters<typeof intIdParam>[0]) => intIdParam(params, "id", "Diese Instanz gibt es nicht.");

export const GET = staffRoute({ permission: "invoice.read" }, async ({ params }) => {
  return listPlanItems(instanceId(params));
});

export const POST = staffRoute({ permission: "invoice.write" }, async ({ req, ip, params, auth }) => {
  const id = instanceId(params);
  const input = await parseJsonBody(req, planItemBody);
  const { item } = await addPlanItem(userActor(auth.principal, ip), { ...input, instanceId: id });
  return NextResponse.json({ message: "Position hinzugefügt", item }, { status: 201 });
});

/** DELETE …/billing-items?item_id=3 */
export const DELETE = staffRoute({ permission: "invoice.write" }, async ({ req, ip, params, auth }) => {
  const id = instanceId(params);
  const { item_id } = parseQuery(req, itemIdQuery);
  await removePlanItem(userActor(auth.principal, ip), { instanceId: id, itemId: item_id });
  return { message: "Position entfernt" };
});
