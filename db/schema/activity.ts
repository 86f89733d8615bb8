import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { instances } from "./instances";
import { users } from "./users";

export const activityLog = pgTable(
  "activity_log",
  {
    id: serial("id").primaryKey(),
    instanceId: integer("instance_id").references(() => instances.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    actorName: text("actor_name"),
    /** Who acted: a customer's user, MSP staff, nobody signed in yet, or a background job (lib/activity/actor.ts). */
    actorType: text("actor_type", { enum: ["user", "staff", "anonymous", "system"] }).notNull().default("user"),
    action: text("action").notNull(),
    description: text("description").notNull(),
    level: text("level", { enum: ["info", "warning", "error"] }).notNull().default("info"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    ip: text("ip"),
    /** Recording time; the trigger of migration 0019 keeps it in `seq` order per instance (never earlier than the entry before). */
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * The entry's number within its instance's log (1, 2, 3, … in commit order, no holes), set by
     * the database on insert (migration 0019); null without an instance. Page N is a range of it.
     */
    seq: bigint("seq", { mode: "number" }),
    /** The filter category of `action` (activity_kind(), = actionKind()), set by the database on insert (migration 0027); null for codes of no kind. */
    kind: text("kind"),
    /** The entry's number among its instance's entries of its kind (no holes, same order as `seq`); page N of a kind filter is a range of it. */
    kindSeq: bigint("kind_seq", { mode: "number" }),
  },
  (t) => [
    // Page N of an instance's newest-first log: a range of seq.
    uniqueIndex("activity_log_instance_seq_idx").on(t.instanceId, t.seq),
    // A period of days: the first and last seq inside it (created_at runs in seq order).
    index("activity_log_instance_created_seq_idx").on(t.instanceId, t.createdAt, t.seq),
    index("activity_log_user_idx").on(t.userId),
    // Page N of one kind: a range of kind_seq; a period inside a kind: its first and last kind_seq.
    uniqueIndex("activity_log_instance_kind_seq_idx").on(t.instanceId, t.kind, t.kindSeq),
    index("activity_log_instance_kind_created_idx").on(t.instanceId, t.kind, t.createdAt, t.kindSeq),
    // Every tenant's log at once (staff, API v1 without tenant_id), newest first, whole or one kind (migration 0028).
    index("activity_log_tenants_created_idx").on(t.createdAt, t.id).where(sql`${t.instanceId} is not null`),
    index("activity_log_tenants_kind_created_idx").on(t.kind, t.createdAt, t.id).where(sql`${t.instanceId} is not null`),
  ],
);

/**
 * The mail outbox (transactional outbox pattern): every mail is written here
 * in the same transaction as the change that causes it, then delivered by the
 * `mail-delivery` job with retries and backoff. Nothing is lost while the
 * provider is down; `idempotency_key` goes to Resend so a retried delivery is
 * sent at most once. With the `outbox` transport (development, tests) the row
 * itself is the captured mail.
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: serial("id").primaryKey(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html"),
    /** Links and codes of the mail, sealed; `text`/`html` hold notes in their place. Deleted once sent (lib/mail/secrets.ts). */
    secretsSealed: text("secrets_sealed"),
    /** Attachment metadata; the bytes (base64) in `content` are stripped from every read model. */
    attachments: jsonb("attachments").$type<{ filename: string; contentType: string; size: number; content?: string }[]>(),
    idempotencyKey: text("idempotency_key").unique(),
    status: text("status", { enum: ["queued", "sending", "sent", "failed"] }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("mail_outbox_due_idx").on(t.status, t.nextAttemptAt), index("mail_outbox_to_idx").on(t.to, t.id)],
);
