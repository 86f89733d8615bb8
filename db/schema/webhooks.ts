import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { instances } from "./instances";
import { users } from "./users";

/**
 * Endpoints integrators register for webhooks. `instance_id` null is an
 * MSP-wide endpoint (staff): it receives the events of every tenant. The
 * signing secret is stored sealed (AES-GCM, lib/crypto/secret-box.ts), not
 * hashed: the server needs it in clear to sign every delivery. After a
 * rotation the previous secret also signs until `previous_secret_expires_at`.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: serial("id").primaryKey(),
    uuid: uuid("uuid").notNull().unique().default(sql`gen_random_uuid()`),
    instanceId: integer("instance_id").references(() => instances.id, { onDelete: "cascade" }),
    /** Who registered it; the mail about an automatic disable goes to this user. */
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    events: text("events").array().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    /** Why it is off: `manual` (switched off by someone) or `failing` (24 h of failed deliveries). */
    disabledReason: text("disabled_reason", { enum: ["manual", "failing"] }),
    secretSealed: text("secret_sealed").notNull(),
    previousSecretSealed: text("previous_secret_sealed"),
    previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true }),
    /** First failed attempt since the last success; null while the endpoint answers. */
    failingSince: timestamp("failing_since", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("webhook_endpoints_instance_idx").on(t.instanceId)],
);

/**
 * One row per event that happened (written in the transaction of the change).
 * `message_id` is the Standard Webhooks `webhook-id`: the same on every retry
 * and every endpoint, so receivers can drop duplicates. `dedupe_key` makes
 * events found by a scan (an invoice becoming overdue) happen once.
 */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: serial("id").primaryKey(),
    messageId: text("message_id").notNull().unique(),
    instanceId: integer("instance_id").references(() => instances.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    dedupeKey: text("dedupe_key").unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("webhook_events_instance_idx").on(t.instanceId, t.id)],
);

/**
 * The outbox: one delivery per event and subscribed endpoint, claimed by the
 * `webhook-delivery` job with `FOR UPDATE SKIP LOCKED` and a lease. `attempts`
 * doubles as the fencing token: a worker may only close the attempt it claimed.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: serial("id").primaryKey(),
    eventId: integer("event_id")
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    endpointId: integer("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    status: text("status", { enum: ["queued", "sending", "delivered", "failed"] }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    lastDurationMs: integer("last_duration_ms"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_endpoint_idx").on(t.eventId, t.endpointId),
    index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id),
  ],
);

/** The delivery log: every HTTP attempt with its outcome, status code and duration. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: serial("id").primaryKey(),
    deliveryId: integer("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    /** `sending` while in flight; `interrupted` when its worker died and the lease ran out. */
    outcome: text("outcome", { enum: ["sending", "delivered", "failed", "interrupted"] }).notNull().default("sending"),
    statusCode: integer("status_code"),
    durationMs: integer("duration_ms"),
    error: text("error"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("webhook_attempts_delivery_attempt_idx").on(t.deliveryId, t.attempt)],
);
