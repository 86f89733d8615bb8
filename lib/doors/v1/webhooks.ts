/**
 * API v1 door onto lib/webhooks: the endpoints a request may manage follow the
 * tenant rule (lib/doors/v1/tenant.ts). A tenant's users manage their
 * tenant's endpoints; MSP staff without ?tenant_id manage the MSP-wide
 * endpoints (events of every tenant), with ?tenant_id that tenant's.
 */
import type { TenantScope } from "./tenant";
import type { WebhookScope } from "@/lib/webhooks";
import { uuidParam, type RouteParamValues } from "@/lib/http/params";

export function webhookScope(tenant: TenantScope): WebhookScope {
  return { instanceId: tenant.kind === "all" ? null : tenant.instanceId };
}

export const webhookIdParam = (params: RouteParamValues) => uuidParam(params, "id", "Webhook-Endpunkt nicht gefunden.");
