import { NextResponse } from "next/server";
import { userActor } from "@/lib/activity";
import { v1TenantRoute } from "@/lib/doors/v1/route";
import { webhookIdParam, webhookScope } from "@/lib/doors/v1/webhooks";
import { sendTestEvent } from "@/lib/webhooks";

/** "Testereignis senden": queued like any event, answered 202. */
export const POST = v1TenantRoute({ permission: "webhook.manage" }, async ({ auth, ip, tenant, params }) =>
  NextResponse.json(await sendTestEvent(userActor(auth.principal, ip), { scope: webhookScope(tenant), id: webhookIdParam(params) }), { status: 202 }),
);
