/**
 * The webhook event catalog and how events enter the outbox.
 *
 * An event is written with `emitWebhookEvent(tx, …)` in the transaction of the
 * change it reports, together with one delivery row per subscribed, enabled
 * endpoint (the tenant's own endpoints and the MSP-wide ones): a rolled-back
 * change sends nothing, a committed one is never lost. Most events follow an
 * activity entry, so `recordActivity` calls `webhookEventsForActivity` in the
 * same transaction: every door and job that records, say, `invoice.issued`
 * queues the webhook without knowing about it. Two events have no activity
 * entry of their own: `server.status_changed` (written where the stored status
 * changes) and `invoice.overdue` (a scan, lib/webhooks/overdue.ts).
 *
 * Payloads are the Standard Webhooks envelope `{ type, timestamp, data }`;
 * the zod schemas below are the single description, also published in the
 * OpenAPI document's `webhooks` section.
 */
import { randomUUID } from "node:crypto";
import { and, arrayContains, eq, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/types";
import { resultRows } from "@/db/types";
import { customDomains, instances, invoicePayments, invoices, webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import { centsToNumber } from "@/lib/money";

import { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "./catalog";

export { TEST_EVENT_TYPE, WEBHOOK_EVENT_LABELS, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "./catalog";

const tenantId = z.string().uuid().meta({ description: "UUID des Tenants (der Instanz)" });
const invoiceData = z
  .object({
    tenant_id: tenantId,
    invoice_id: z.number().int(),
    invoice_number: z.string(),
    kind: z.enum(["invoice", "credit_note"]),
    total: z.number().meta({ description: "Bruttobetrag in Euro" }),
    currency: z.literal("EUR"),
    due_date: z.string().nullable().meta({ description: "YYYY-MM-DD" }),
  })
  .strict()
  .meta({ id: "WebhookInvoiceData" });

export const WEBHOOK_DATA_SCHEMAS = {
  "invoice.issued": invoiceData,
  "invoice.paid": invoiceData,
  "invoice.overdue": invoiceData,
  "instance.suspended": z.object({ tenant_id: tenantId, reason: z.string().nullable() }).strict(),
  "instance.reactivated": z.object({ tenant_id: tenantId }).strict(),
  "server.status_changed": z
    .object({ tenant_id: tenantId, previous_status: z.string().nullable(), status: z.string() })
    .strict(),
  "server.action.finished": z
    .object({
      tenant_id: tenantId,
      action: z.enum(["reboot", "power-on", "power-off"]),
      forced: z.boolean(),
      outcome: z.enum(["success", "error"]),
      message: z.string().nullable(),
    })
    .strict(),
  "domain.applied": z
    .object({ tenant_id: tenantId, portal_domain: z.string().nullable(), meshcentral_domain: z.string().nullable() })
    .strict(),
} satisfies Record<WebhookEventType, z.ZodType>;

export const TEST_EVENT_DATA_SCHEMA = z.object({ tenant_id: tenantId.nullable(), message: z.string() }).strict();

/** The envelope of one event type (body of the POST to the endpoint). */
export function webhookPayloadSchema(type: WebhookEventType | typeof TEST_EVENT_TYPE) {
  const data = type === TEST_EVENT_TYPE ? TEST_EVENT_DATA_SCHEMA : WEBHOOK_DATA_SCHEMAS[type];
  return z
    .object({
      type: z.literal(type),
      timestamp: z.string().meta({ description: "Zeitpunkt des Ereignisses (ISO 8601, UTC)" }),
      data,
    })
    .strict();
}

export type EmitInput = {
  type: WebhookEventType | typeof TEST_EVENT_TYPE;
  instanceId: number | null;
  data: Record<string, unknown>;
  /** Makes the event happen at most once (e.g. `invoice.overdue:<id>`). */
  dedupeKey?: string;
  /** Only this endpoint (test events); otherwise every subscribed, enabled endpoint. */
  endpointId?: number;
  now?: Date;
};

/**
 * Writes the event and its deliveries with `tx`. Returns the event id, or null
 * when `dedupeKey` was already used. Each payload is checked against its
 * schema here, so a drift between code and documentation fails the change's
 * tests rather than an integrator.
 */
export async function emitWebhookEvent(tx: DbOrTx, input: EmitInput): Promise<number | null> {
  const now = input.now ?? new Date();
  const payload = webhookPayloadSchema(input.type).parse({ type: input.type, timestamp: now.toISOString(), data: input.data });
  const [event] = await tx
    .insert(webhookEvents)
    .values({
      messageId: `msg_${randomUUID().replaceAll("-", "")}`,
      instanceId: input.instanceId,
      type: input.type,
      payload,
      dedupeKey: input.dedupeKey,
      createdAt: now,
    })
    .onConflictDoNothing({ target: webhookEvents.dedupeKey })
    .returning({ id: webhookEvents.id });
  if (!event) return null;
  const target =
    input.endpointId !== undefined
      ? eq(webhookEndpoints.id, input.endpointId)
      : and(
          eq(webhookEndpoints.enabled, true),
          arrayContains(webhookEndpoints.events, [input.type]),
          input.instanceId === null ? isNull(webhookEndpoints.instanceId) : or(isNull(webhookEndpoints.instanceId), eq(webhookEndpoints.instanceId, input.instanceId)),
        );
  const endpoints = await tx.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(target);
  if (endpoints.length > 0) {
    await tx.insert(webhookDeliveries).values(endpoints.map((e) => ({ eventId: event.id, endpointId: e.id, nextAttemptAt: now, createdAt: now })));
  }
  return event.id;
}

async function tenantUuid(tx: DbOrTx, instanceId: number) {
  const [row] = await tx.select({ uuid: instances.uuid, reason: instances.suspendedReason }).from(instances).where(eq(instances.id, instanceId));
  return row;
}

/** The invoice part of a payload, read in the transaction of the change. */
export async function invoiceEventData(tx: DbOrTx, invoiceId: number) {
  const [row] = await tx
    .select({
      instanceId: invoices.instanceId,
      uuid: instances.uuid,
      invoiceNumber: invoices.invoiceNumber,
      kind: invoices.kind,
      grossCents: invoices.grossCents,
      dueDate: invoices.dueDate,
    })
    .from(invoices)
    .innerJoin(instances, eq(instances.id, invoices.instanceId))
    .where(eq(invoices.id, invoiceId));
  if (!row || !row.invoiceNumber) return null;
  return {
    instanceId: row.instanceId,
    data: {
      tenant_id: row.uuid,
      invoice_id: invoiceId,
      invoice_number: row.invoiceNumber,
      kind: row.kind,
      total: centsToNumber(row.grossCents),
      currency: "EUR" as const,
      due_date: row.dueDate,
    },
  };
}

async function isFullyPaid(tx: DbOrTx, invoiceId: number) {
  const rows = resultRows<{ paid: boolean }>(
    await tx.execute(sql`
      select case when i.gross_cents >= 0 then i.gross_cents - coalesce(sum(p.amount_cents), 0) <= 0
                  else i.gross_cents - coalesce(sum(p.amount_cents), 0) >= 0 end as paid
      from ${invoices} i left join ${invoicePayments} p on p.invoice_id = i.id
      where i.id = ${invoiceId} group by i.id`),
  );
  return rows[0]?.paid === true;
}

type ActivityLike = { instanceId: number | null; action: string; metadata?: Record<string, unknown> };

const ACTION_OF_LOG: Record<string, "reboot" | "power-on" | "power-off"> = {
  "server.reboot": "reboot",
  "server.power_on": "power-on",
  "server.power_off": "power-off",
  "server.power_off_force": "power-off",
};

function invoiceIdOf(meta: Record<string, unknown>): number | null {
  const id = Number(meta.invoice_id);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/**
 * The activity layer's hook: maps an activity entry to the webhook event it
 * stands for (if any) and queues it in the same transaction.
 */
export async function webhookEventsForActivity(tx: DbOrTx, entry: ActivityLike, description: string): Promise<void> {
  const { instanceId, action } = entry;
  const meta = entry.metadata ?? {};
  if (instanceId === null) return;
  switch (action) {
    case "invoice.issued": {
      // An entry that names no invoice (imported history, hand-written entries) stands for no event.
      const id = invoiceIdOf(meta);
      if (id === null) return;
      const invoice = await invoiceEventData(tx, id);
      if (invoice) await emitWebhookEvent(tx, { type: "invoice.issued", ...invoice, dedupeKey: `invoice.issued:${meta.invoice_id}` });
      return;
    }
    case "invoice.payment_recorded": {
      const id = invoiceIdOf(meta);
      if (id === null) return;
      if (!(await isFullyPaid(tx, id))) return;
      const invoice = await invoiceEventData(tx, id);
      if (invoice) await emitWebhookEvent(tx, { type: "invoice.paid", ...invoice, dedupeKey: `invoice.paid:${id}` });
      return;
    }
    case "instance.suspended":
    case "instance.reactivated": {
      const tenant = await tenantUuid(tx, instanceId);
      if (!tenant) return;
      const data = action === "instance.suspended" ? { tenant_id: tenant.uuid, reason: tenant.reason } : { tenant_id: tenant.uuid };
      await emitWebhookEvent(tx, { type: action, instanceId, data });
      return;
    }
    case "domain.applied":
    case "domain.portal.set":
    case "domain.meshcentral.set":
    case "domain.portal.removed":
    case "domain.meshcentral.removed": {
      if (action !== "domain.applied" && meta.applied !== true) return;
      const tenant = await tenantUuid(tx, instanceId);
      if (!tenant) return;
      const rows = await tx.select({ kind: customDomains.kind, domain: customDomains.domain }).from(customDomains).where(eq(customDomains.instanceId, instanceId));
      const domainOf = (kind: string) => rows.find((r) => r.kind === kind)?.domain ?? null;
      await emitWebhookEvent(tx, {
        type: "domain.applied",
        instanceId,
        data: { tenant_id: tenant.uuid, portal_domain: domainOf("portal"), meshcentral_domain: domainOf("meshcentral") },
      });
      return;
    }
  }
  // A power action's end (started → success/error), closed once by lib/servers.
  if (action in ACTION_OF_LOG && meta.hetzner_action_id !== undefined && (meta.outcome === "success" || meta.outcome === "error")) {
    const tenant = await tenantUuid(tx, instanceId);
    if (!tenant) return;
    await emitWebhookEvent(tx, {
      type: "server.action.finished",
      instanceId,
      data: {
        tenant_id: tenant.uuid,
        action: ACTION_OF_LOG[action],
        forced: action === "server.power_off_force",
        outcome: meta.outcome,
        message: meta.outcome === "error" ? description : null,
      },
    });
  }
}

/** `server.status_changed`, written where the stored status changes. */
export async function emitServerStatusChanged(tx: DbOrTx, instanceId: number, previous: string | null, status: string) {
  if (previous === status) return;
  const tenant = await tenantUuid(tx, instanceId);
  if (!tenant) return;
  await emitWebhookEvent(tx, { type: "server.status_changed", instanceId, data: { tenant_id: tenant.uuid, previous_status: previous, status } });
}
