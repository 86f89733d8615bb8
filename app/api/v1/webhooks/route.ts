import { NextResponse } from "next/server";
import { userActor } from "@/lib/activity";
import { v1TenantRoute } from "@/lib/doors/v1/route";
import { webhookScope } from "@/lib/doors/v1/webhooks";
import { parseJsonBody } from "@/lib/http/body";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/webhooks";
import { createWebhookBody } from "@/lib/webhooks/schemas";

export const GET = v1TenantRoute({ permission: "webhook.manage" }, async ({ tenant }) => listWebhookEndpoints(webhookScope(tenant)));

export const POST = v1TenantRoute({ permission: "webhook.manage", recentAuthentication: "automation" }, async ({ req, auth, ip, tenant }) => {
  const input = await parseJsonBody(req, createWebhookBody);
  const created = await createWebhookEndpoint(userActor(auth.principal, ip), { scope: webhookScope(tenant), ...input });
  return NextResponse.json(created, { status: 201, headers: { Location: `/api/v1/webhooks/${created.endpoint.id}` } });
});
