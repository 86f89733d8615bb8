import { userActor } from "@/lib/activity";
import { v1TenantRoute } from "@/lib/doors/v1/route";
import { webhookIdParam, webhookScope } from "@/lib/doors/v1/webhooks";
import { parseJsonBody } from "@/lib/http/body";
import { deleteWebhookEndpoint, getWebhookEndpoint, updateWebhookEndpoint } from "@/lib/webhooks";
import { updateWebhookBody } from "@/lib/webhooks/schemas";

export const GET = v1TenantRoute({ permission: "webhook.manage" }, async ({ tenant, params }) => ({
  endpoint: await getWebhookEndpoint(webhookScope(tenant), webhookIdParam(params)),
}));

export const PATCH = v1TenantRoute({ permission: "webhook.manage", recentAuthentication: "automation" }, async ({ req, auth, ip, tenant, params }) => {
  const input = await parseJsonBody(req, updateWebhookBody);
  return { endpoint: await updateWebhookEndpoint(userActor(auth.principal, ip), { scope: webhookScope(tenant), id: webhookIdParam(params), ...input }) };
});

export const DELETE = v1TenantRoute({ permission: "webhook.manage", recentAuthentication: "automation" }, async ({ auth, ip, tenant, params }) =>
  deleteWebhookEndpoint(userActor(auth.principal, ip), { scope: webhookScope(tenant), id: webhookIdParam(params) }),
);
