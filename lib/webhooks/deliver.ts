/**
 * Delivering webhooks (the `webhook-delivery` job). Any number of workers may
 * run this at once.
 *
 * - **Claim with a lease and a fence.** Due rows are claimed with
 *   `FOR UPDATE SKIP LOCKED`; claiming bumps `attempts` and writes an attempt
 *   row (`sending`) in the same transaction. The worker may later close only
 *   the attempt it claimed (`WHERE attempts = <claimed>`): if it was too slow
 *   and its lease ran out, another worker owns the delivery and the slow
 *   worker's result is recorded as `interrupted`, never as a second success.
 * - **A worker that dies mid-send** leaves its attempt `sending`; when the
 *   lease expires the next claim marks it `interrupted` and sends again with
 *   the same `webhook-id`. HTTP cannot tell whether the receiver processed a
 *   request whose answer never arrived, so delivery is at least once; the log
 *   shows exactly one `delivered` attempt and receivers drop the repeat by
 *   `webhook-id` (Standard Webhooks asks them to).
 * - **Back-off** 30 s, 1 min, 2 min, … capped at 3 h, for 24 h after the event;
 *   then the delivery is `failed`.
 * - **Auto-disable.** An endpoint that has failed every attempt for 24 h
 *   (`failing_since`) is switched off, its queued deliveries fail, and its
 *   owner gets a mail, all in one transaction.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { and, eq, inArray, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { getDb } from "@/db/client";
import { resultRows, type DbOrTx } from "@/db/types";
import { users, webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import { recordActivity, systemActor } from "@/lib/activity";
import { config } from "@/lib/config";
import { open } from "@/lib/crypto/secret-box";
import { enqueueMail } from "@/lib/mail";
import { escapeHtml } from "@/lib/mail/templates";
import { guardedLookup, isPrivateAddress, PrivateTargetError } from "./target";

/** How long deliveries are retried, and how long an endpoint may fail before it is switched off. */
export const RETRY_WINDOW_MS = 24 * 3600 * 1000;
const LEASE_SECONDS = () => Number(process.env.WEBHOOK_LEASE_SECONDS) || 60;

/** Seconds to wait after `n` failed attempts: 30 s, 1 min, 2 min, … capped at 3 h. */
export function webhookBackoffSeconds(failedAttempts: number) {
  return Math.min(3 * 3600, 30 * 2 ** Math.max(0, failedAttempts - 1));
}

/** The Standard Webhooks signature header: one `v1,<base64>` per valid secret (two during a rotation's overlap). */
export function signatureHeader(secrets: string[], messageId: string, timestamp: Date, body: string) {
  return secrets.map((secret) => new Webhook(secret).sign(messageId, timestamp, body)).join(" ");
}

type Claimed = { deliveryId: number; attempt: number };

async function claimDue(limit: number, now: Date): Promise<Claimed[]> {
  const db = await getDb();
  const at = now.toISOString();
  return db.transaction(async (tx) => {
    const rows = resultRows<{ id: number; attempts: number }>(
      await tx.execute(sql`
        update webhook_deliveries set status = 'sending', attempts = attempts + 1,
          locked_until = ${at}::timestamptz + make_interval(secs => ${LEASE_SECONDS()})
        where id in (
          select d.id from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
          where e.enabled and ((d.status = 'queued' and d.next_attempt_at <= ${at}::timestamptz)
             or (d.status = 'sending' and d.locked_until < ${at}::timestamptz))
          order by d.id limit ${limit} for update of d skip locked)
        returning id, attempts`),
    );
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    // Attempts whose worker died: their lease ran out without a result.
    await tx
      .update(webhookAttempts)
      .set({ outcome: "interrupted", error: "Zustellung abgebrochen (Prozess beendet oder Zeit überschritten)" })
      .where(and(inArray(webhookAttempts.deliveryId, ids), eq(webhookAttempts.outcome, "sending")));
    await tx.insert(webhookAttempts).values(rows.map((r) => ({ deliveryId: r.id, attempt: r.attempts, startedAt: now })));
    return rows.map((r) => ({ deliveryId: r.id, attempt: r.attempts }));
  });
}

type Target = {
  url: string;
  messageId: string;
  body: string;
  secrets: string[];
};

async function loadTarget(deliveryId: number, now: Date): Promise<Target & { createdAt: Date; endpointId: number }> {
  const db = await getDb();
  const [row] = await db
    .select({ endpoint: webhookEndpoints, event: webhookEvents, createdAt: webhookDeliveries.createdAt })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.id, deliveryId));
  if (!row) throw new Error(`webhook delivery ${deliveryId} vanished`);
  const secrets = [open("webhook-secret", row.endpoint.secretSealed)];
  if (row.endpoint.previousSecretSealed && row.endpoint.previousSecretExpiresAt && row.endpoint.previousSecretExpiresAt > now) {
    secrets.push(open("webhook-secret", row.endpoint.previousSecretSealed));
  }
  return {
    url: row.endpoint.url,
    messageId: row.event.messageId,
    body: JSON.stringify(row.event.payload),
    secrets,
    createdAt: row.createdAt,
    endpointId: row.endpoint.id,
  };
}

export type PostResult = { ok: boolean; statusCode: number | null; error: string | null; durationMs: number };

/** One signed POST. Redirects are not followed (a 3xx is a failure): the target was checked, its redirect would not be. */
export async function postWebhook(target: Target, timestamp = new Date()): Promise<PostResult> {
  const started = performance.now();
  const done = (ok: boolean, statusCode: number | null, error: string | null): PostResult => ({
    ok,
    statusCode,
    error,
    durationMs: Math.round(performance.now() - started),
  });
  const url = new URL(target.url);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && isPrivateAddress(host) && !config().webhooksAllowPrivateTargets) {
    return done(false, null, new PrivateTargetError(host).message);
  }
  const headers = {
    "content-type": "application/json",
    "user-agent": "Manage-Portal-Webhooks/1",
    "webhook-id": target.messageId,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": signatureHeader(target.secrets, target.messageId, timestamp, target.body),
  };
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<PostResult>((resolve) => {
    const req = send(
      url,
      { method: "POST", headers: { ...headers, "content-length": Buffer.byteLength(target.body) }, lookup: guardedLookup, timeout: config().WEBHOOK_TIMEOUT_MS },
      (res: IncomingMessage) => {
        res.resume();
        res.on("end", () => {
          const code = res.statusCode ?? 0;
          resolve(code >= 200 && code < 300 ? done(true, code, null) : done(false, code, `HTTP ${code}`));
        });
        res.on("error", (error) => resolve(done(false, res.statusCode ?? null, error.message)));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`Keine Antwort innerhalb von ${config().WEBHOOK_TIMEOUT_MS} ms`)));
    req.on("error", (error) => resolve(done(false, null, error.message.slice(0, 300))));
    req.end(target.body);
  });
}

export type WebhookRun = { delivered: number; retried: number; failed: number; disabled: number; interrupted: number };

/** Delivers up to `limit` due webhooks. `now` drives the schedule (tests step through 24 hours). */
export async function deliverDueWebhooks(options: { limit?: number; now?: Date } = {}): Promise<WebhookRun> {
  const now = options.now ?? new Date();
  const run: WebhookRun = { delivered: 0, retried: 0, failed: 0, disabled: 0, interrupted: 0 };
  for (const claimed of await claimDue(options.limit ?? 20, now)) {
    const target = await loadTarget(claimed.deliveryId, now);
    const result = await postWebhook(target);
    const outcome = await recordResult(claimed, target, result, now);
    run[outcome]++;
  }
  return run;
}

async function recordResult(
  claimed: Claimed,
  target: { createdAt: Date; endpointId: number },
  result: PostResult,
  now: Date,
): Promise<keyof WebhookRun> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const mine = and(eq(webhookDeliveries.id, claimed.deliveryId), eq(webhookDeliveries.status, "sending"), eq(webhookDeliveries.attempts, claimed.attempt));
    const attemptRow = and(eq(webhookAttempts.deliveryId, claimed.deliveryId), eq(webhookAttempts.attempt, claimed.attempt));
    const log = { statusCode: result.statusCode, durationMs: result.durationMs, error: result.error };
    if (result.ok) {
      const [closed] = await tx
        .update(webhookDeliveries)
        .set({ status: "delivered", deliveredAt: now, lockedUntil: null, lastStatusCode: result.statusCode, lastError: null, lastDurationMs: result.durationMs })
        .where(mine)
        .returning({ id: webhookDeliveries.id });
      if (!closed) {
        await tx.update(webhookAttempts).set({ ...log, outcome: "interrupted", error: "Lease abgelaufen, Zustellung von einem anderen Prozess übernommen" }).where(attemptRow);
        return "interrupted";
      }
      await tx.update(webhookAttempts).set({ ...log, outcome: "delivered" }).where(attemptRow);
      await tx.update(webhookEndpoints).set({ failingSince: null }).where(eq(webhookEndpoints.id, target.endpointId));
      return "delivered";
    }
    const final = now.getTime() - target.createdAt.getTime() >= RETRY_WINDOW_MS;
    const [closed] = await tx
      .update(webhookDeliveries)
      .set({
        status: final ? "failed" : "queued",
        lockedUntil: null,
        lastStatusCode: result.statusCode,
        lastError: result.error,
        lastDurationMs: result.durationMs,
        nextAttemptAt: new Date(now.getTime() + webhookBackoffSeconds(claimed.attempt) * 1000),
      })
      .where(mine)
      .returning({ id: webhookDeliveries.id });
    if (!closed) {
      await tx.update(webhookAttempts).set({ ...log, outcome: "interrupted" }).where(attemptRow);
      return "interrupted";
    }
    await tx.update(webhookAttempts).set({ ...log, outcome: "failed" }).where(attemptRow);
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({ failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${now.toISOString()}::timestamptz)` })
      .where(eq(webhookEndpoints.id, target.endpointId))
      .returning();
    if (endpoint?.enabled && endpoint.failingSince && now.getTime() - endpoint.failingSince.getTime() >= RETRY_WINDOW_MS) {
      await disableFailingEndpoint(tx, endpoint, result, now);
      return "disabled";
    }
    return final ? "failed" : "retried";
  });
}

async function disableFailingEndpoint(tx: DbOrTx, endpoint: typeof webhookEndpoints.$inferSelect, result: PostResult, now: Date) {
  const [off] = await tx
    .update(webhookEndpoints)
    .set({ enabled: false, disabledReason: "failing", updatedAt: now })
    .where(and(eq(webhookEndpoints.id, endpoint.id), eq(webhookEndpoints.enabled, true)))
    .returning({ id: webhookEndpoints.id });
  if (!off) return;
  await tx
    .update(webhookDeliveries)
    .set({ status: "failed", lastError: "Endpunkt automatisch deaktiviert", lockedUntil: null })
    .where(and(eq(webhookDeliveries.endpointId, endpoint.id), eq(webhookDeliveries.status, "queued")));
  await recordActivity(tx, systemActor("webhooks"), {
    instanceId: endpoint.instanceId,
    action: "webhook.disabled",
    description: `Webhook-Endpunkt ${endpoint.url} nach 24 Stunden fehlgeschlagener Zustellungen deaktiviert`,
    metadata: { endpoint_id: endpoint.uuid, last_error: result.error, last_status_code: result.statusCode },
  });
  if (!endpoint.createdBy) return;
  const [owner] = await tx.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, endpoint.createdBy));
  if (!owner) return;
  const reason = result.error ?? `HTTP ${result.statusCode}`;
  await enqueueMail(
    tx,
    {
      to: owner.email,
      subject: "Webhook-Endpunkt deaktiviert – Manage-Portal",
      text: [
        `Hallo ${owner.name},`,
        "",
        `Ihr Webhook-Endpunkt ${endpoint.url} hat seit 24 Stunden keine Zustellung angenommen (zuletzt: ${reason}).`,
        "Wir haben ihn deshalb deaktiviert. Sobald der Empfänger wieder erreichbar ist, können Sie ihn im Portal unter „Webhooks“ wieder einschalten.",
        "",
        "Viele Grüße",
        "Ihr Manage-Portal-Team",
      ].join("\n"),
      html: `<p>Hallo ${escapeHtml(owner.name)},</p>
<p>Ihr Webhook-Endpunkt <code>${escapeHtml(endpoint.url)}</code> hat seit 24 Stunden keine Zustellung angenommen (zuletzt: ${escapeHtml(reason)}).</p>
<p>Wir haben ihn deshalb deaktiviert. Sobald der Empfänger wieder erreichbar ist, können Sie ihn im Portal unter „Webhooks“ wieder einschalten.</p>`,
    },
    `webhook-disabled:${endpoint.id}:${endpoint.failingSince?.toISOString()}`,
  );
}
