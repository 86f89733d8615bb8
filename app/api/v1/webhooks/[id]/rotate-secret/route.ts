import { userActor } from "@/lib/activity";
import { v1TenantRoute } from "@/lib/doors/v1/route";
import { webhookIdParam, webhookScope } from "@/lib/doors/v1/webhooks";
import { parseJsonBody } from "@/lib/http/body";
import { rotateWebhookSecret } from "@/lib/webhooks";
import { rotateSecretBody } from "@/lib/webhooks/schemas";

export const POST = v1TenantRoute({ permission: "webhook.manage", recentAuthentication: "automation" }, async ({ req, auth, ip, tenant, params }) => {
  const { overlap_hours } = await parseJsonBody(req, rotateSecretBody);
  return rotateWebhookSecret(userActor(auth.principal, ip), { scope: webhookScope(tenant), id: webhookIdParam(params), overlapHours: overlap_hours });
});
