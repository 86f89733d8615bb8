/**
 * Registering webhook endpoints: commands `(actor, input, options?)` for the
 * API v1 and manage doors. `scope` is the tenant (`instanceId`) or `null` for
 * MSP-wide endpoints (staff); another scope's endpoint is "not found".
 * The secret (`whsec_` + 24 random bytes, the Standard Webhooks format) is
 * returned once and stored sealed (see README).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { DbOrTx } from "@/db/types";
import { instances, webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import { actorUserId, recordActivity, type Actor } from "@/lib/activity";
import { seal } from "@/lib/crypto/secret-box";
import { NotFoundError } from "@/lib/errors";
import { apiTimestamp } from "@/lib/time";
import { emitWebhookEvent, TEST_EVENT_TYPE, type WebhookEventType } from "@/lib/events/webhooks";
import { checkTargetUrl } from "./target";

/** Whose endpoints: one tenant, or the MSP's own (null). */
export type WebhookScope = { instanceId: number | null };
type Options = { tx?: DbOrTx };

export const DEFAULT_OVERLAP_HOURS = 24;
const NOT_FOUND = "Webhook-Endpunkt nicht gefunden.";

function newSecret() {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

type Row = typeof webhookEndpoints.$inferSelect & { tenantUuid: string | null };

function present(row: Row) {
  return {
    id: row.uuid,
    tenant_id: row.tenantUuid,
    url: row.url,
    description: row.description,
    events: row.events as WebhookEventType[],
    enabled: row.enabled,
    disabled_reason: row.disabledReason,
    previous_secret_expires_at: row.previousSecretExpiresAt && row.previousSecretExpiresAt > new Date() ? apiTimestamp(row.previousSecretExpiresAt) : null,
    failing_since: apiTimestamp(row.failingSince),
    created_at: apiTimestamp(row.createdAt),
  };
}
export type WebhookEndpointView = ReturnType<typeof present>;

const scopeWhere = (scope: WebhookScope) =>
  scope.instanceId === null ? isNull(webhookEndpoints.instanceId) : eq(webhookEndpoints.instanceId, scope.instanceId);

async function loadRows(db: DbOrTx, scope: WebhookScope, id?: string): Promise<Row[]> {
  const where = id ? and(scopeWhere(scope), eq(webhookEndpoints.uuid, id)) : scopeWhere(scope);
  const rows = await db
    .select({ endpoint: webhookEndpoints, tenantUuid: instances.uuid })
    .from(webhookEndpoints)
    .leftJoin(instances, eq(instances.id, webhookEndpoints.instanceId))
    .where(where)
    .orderBy(webhookEndpoints.id);
  return rows.map((r) => ({ ...r.endpoint, tenantUuid: r.tenantUuid }));
}

async function loadOne(db: DbOrTx, scope: WebhookScope, id: string): Promise<Row> {
  const [row] = await loadRows(db, scope, id);
  if (!row) throw new NotFoundError(NOT_FOUND);
  return row;
}

async function inTx<T>(options: Options, work: (tx: DbOrTx) => Promise<T>): Promise<T> {
  if (options.tx) return work(options.tx);
  return (await getDb()).transaction(work);
}

export async function listWebhookEndpoints(scope: WebhookScope) {
  return { endpoints: (await loadRows(await getDb(), scope)).map(present) };
}

export async function getWebhookEndpoint(scope: WebhookScope, id: string) {
  return present(await loadOne(await getDb(), scope, id));
}

export async function createWebhookEndpoint(
  actor: Actor,
  input: { scope: WebhookScope; url: string; events: WebhookEventType[]; description?: string },
  options: Options = {},
) {
  const url = checkTargetUrl(input.url);
  const secret = newSecret();
  return inTx(options, async (tx) => {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        instanceId: input.scope.instanceId,
        createdBy: actorUserId(actor),
        url,
        description: input.description ?? "",
        events: input.events,
        secretSealed: seal("webhook-secret", secret),
      })
      .returning();
    await recordActivity(tx, actor, {
      instanceId: input.scope.instanceId,
      action: "webhook.created",
      description: `Webhook-Endpunkt ${url} angelegt (${input.events.join(", ")})`,
      metadata: { endpoint_id: row!.uuid, url, events: input.events },
    });
    return { endpoint: present((await loadRows(tx, input.scope, row!.uuid))[0]!), secret };
  });
}

export async function updateWebhookEndpoint(
  actor: Actor,
  input: { scope: WebhookScope; id: string; url?: string; events?: WebhookEventType[]; description?: string; enabled?: boolean },
  options: Options = {},
) {
  const url = input.url === undefined ? undefined : checkTargetUrl(input.url);
  return inTx(options, async (tx) => {
    const current = await loadOne(tx, input.scope, input.id);
    const enabled = input.enabled ?? current.enabled;
    await tx
      .update(webhookEndpoints)
      .set({
        url,
        events: input.events,
        description: input.description,
        enabled,
        disabledReason: enabled ? null : input.enabled === false ? "manual" : current.disabledReason,
        // Switched on again: failures start counting afresh.
        failingSince: enabled && !current.enabled ? null : undefined,
        updatedAt: new Date(),
      })
      .where(eq(webhookEndpoints.id, current.id));
    const changed = Object.keys(input).filter((k) => !["scope", "id"].includes(k) && input[k as keyof typeof input] !== undefined);
    await recordActivity(tx, actor, {
      instanceId: input.scope.instanceId,
      action: "webhook.updated",
      description: `Webhook-Endpunkt ${url ?? current.url} geändert${input.enabled === undefined ? "" : input.enabled ? " (aktiviert)" : " (deaktiviert)"}`,
      metadata: { endpoint_id: current.uuid, changed },
    });
    return present(await loadOne(tx, input.scope, input.id));
  });
}

export async function deleteWebhookEndpoint(actor: Actor, input: { scope: WebhookScope; id: string }, options: Options = {}) {
  return inTx(options, async (tx) => {
    const current = await loadOne(tx, input.scope, input.id);
    await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, current.id));
    await recordActivity(tx, actor, {
      instanceId: input.scope.instanceId,
      action: "webhook.deleted",
      description: `Webhook-Endpunkt ${current.url} gelöscht`,
      metadata: { endpoint_id: current.uuid },
    });
    return { message: "Webhook-Endpunkt gelöscht." };
  });
}

/**
 * A new secret; the previous one keeps signing (a second `v1,` signature in
 * `webhook-signature`) for `overlapHours`, so the receiver can switch without
 * losing a delivery.
 */
export async function rotateWebhookSecret(actor: Actor, input: { scope: WebhookScope; id: string; overlapHours?: number }, options: Options = {}) {
  const overlapHours = input.overlapHours ?? DEFAULT_OVERLAP_HOURS;
  const secret = newSecret();
  return inTx(options, async (tx) => {
    const current = await loadOne(tx, input.scope, input.id);
    await tx
      .update(webhookEndpoints)
      .set({
        secretSealed: seal("webhook-secret", secret),
        previousSecretSealed: overlapHours > 0 ? current.secretSealed : null,
        previousSecretExpiresAt: overlapHours > 0 ? new Date(Date.now() + overlapHours * 3600 * 1000) : null,
        updatedAt: new Date(),
      })
      .where(eq(webhookEndpoints.id, current.id));
    await recordActivity(tx, actor, {
      instanceId: input.scope.instanceId,
      action: "webhook.secret_rotated",
      description: `Secret des Webhook-Endpunkts ${current.url} erneuert (altes Secret gilt noch ${overlapHours} Stunden)`,
      metadata: { endpoint_id: current.uuid, overlap_hours: overlapHours },
    });
    return { endpoint: present(await loadOne(tx, input.scope, input.id)), secret };
  });
}

/** "Testereignis senden": one `webhook.test` event to this endpoint only, through the normal outbox. */
export async function sendTestEvent(actor: Actor, input: { scope: WebhookScope; id: string }, options: Options = {}) {
  void actor;
  return inTx(options, async (tx) => {
    const current = await loadOne(tx, input.scope, input.id);
    const eventId = await emitWebhookEvent(tx, {
      type: TEST_EVENT_TYPE,
      instanceId: current.instanceId,
      endpointId: current.id,
      data: { tenant_id: current.tenantUuid, message: "Testereignis aus dem Manage-Portal" },
      dedupeKey: `test:${randomUUID()}`,
    });
    const [event] = await tx.select({ messageId: webhookEvents.messageId }).from(webhookEvents).where(eq(webhookEvents.id, eventId!));
    return {
      message: current.enabled ? "Testereignis wird in wenigen Sekunden zugestellt." : "Testereignis eingereiht; es wird zugestellt, sobald der Endpunkt aktiviert ist.",
      message_id: event!.messageId,
    };
  });
}

/** The delivery log of one endpoint, newest first, with every attempt's outcome, status code and duration. */
export async function listWebhookDeliveries(scope: WebhookScope, id: string, limit = 50) {
  const db = await getDb();
  const endpoint = await loadOne(db, scope, id);
  const rows = await db
    .select({ delivery: webhookDeliveries, messageId: webhookEvents.messageId, type: webhookEvents.type })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.endpointId, endpoint.id))
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit);
  const attempts = rows.length
    ? await db
        .select()
        .from(webhookAttempts)
        .where(inArray(webhookAttempts.deliveryId, rows.map((r) => r.delivery.id)))
        .orderBy(webhookAttempts.attempt)
    : [];
  return {
    deliveries: rows.map(({ delivery, messageId, type }) => ({
      id: delivery.id,
      message_id: messageId,
      event_type: type,
      status: delivery.status,
      attempts: delivery.attempts,
      next_attempt_at: delivery.status === "queued" ? apiTimestamp(delivery.nextAttemptAt) : null,
      last_status_code: delivery.lastStatusCode,
      last_duration_ms: delivery.lastDurationMs,
      last_error: delivery.lastError,
      delivered_at: apiTimestamp(delivery.deliveredAt),
      created_at: apiTimestamp(delivery.createdAt),
      attempt_log: attempts
        .filter((a) => a.deliveryId === delivery.id)
        .map((a) => ({
          attempt: a.attempt,
          outcome: a.outcome,
          status_code: a.statusCode,
          duration_ms: a.durationMs,
          error: a.error,
          started_at: apiTimestamp(a.startedAt),
        })),
    })),
  };
}
