import { NextResponse } from "next/server";
import { userActor } from "@/lib/activity";
import { executeBillingRun } from "@/lib/billing/run";
import { runBody } from "@/lib/billing/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";

export const POST = staffRoute({ permission: "invoice.write" }, async ({ req, ip, auth }) => {
  const { period, decisions } = await parseJsonBody(req, runBody);
  const run = await executeBillingRun(userActor(auth.principal, ip), { period, decisions: Object.fromEntries(decisions.map((d) => [d.instance_id, d.action])) });
  return NextResponse.json({ message: run.summary_label, run }, { status: 201 });
});
