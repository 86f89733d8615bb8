import { v1TenantRoute } from "@/lib/doors/v1/route";
import { webhookIdParam, webhookScope } from "@/lib/doors/v1/webhooks";
import { listWebhookDeliveries } from "@/lib/webhooks";

export const GET = v1TenantRoute({ permission: "webhook.manage" }, async ({ tenant, params }) =>
  listWebhookDeliveries(webhookScope(tenant), webhookIdParam(params)),
);
