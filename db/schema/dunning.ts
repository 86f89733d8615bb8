import { sql } from "drizzle-orm";
import { bigint, boolean, check, date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { instances } from "./instances";
import { invoices } from "./invoices";
import { users } from "./users";

/**
 * Dunning (lib/dunning): reminders after the due date, automatic suspension
 * after a configurable number of days and automatic reactivation once paid.
 */

/**
 * How dunning runs, one row (id = 1) editable by staff; defaults until saved.
 * Days count from the invoice's due date; the stages must be ascending.
 */
export const dunningSettings = pgTable(
  "dunning_settings",
  {
    id: integer("id").primaryKey().default(1),
    enabled: boolean("enabled").notNull().default(true),
    reminderDays: integer("reminder_days").notNull().default(7),
    dunning1Days: integer("dunning_1_days").notNull().default(14),
    dunning2Days: integer("dunning_2_days").notNull().default(21),
    /** Fee printed on the second dunning letter; 0 = none. */
    dunning2FeeCents: bigint("dunning_2_fee_cents", { mode: "number" }).notNull().default(0),
    suspendAfterDays: integer("suspend_after_days").notNull().default(30),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("dunning_settings_single_row", sql`${t.id} = 1`),
    check("dunning_settings_order", sql`0 < ${t.reminderDays} and ${t.reminderDays} < ${t.dunning1Days} and ${t.dunning1Days} < ${t.dunning2Days}`),
    check("dunning_settings_suspend", sql`${t.suspendAfterDays} >= 1`),
    check("dunning_settings_fee", sql`${t.dunning2FeeCents} >= 0`),
  ],
);

/**
 * The exactly-once ledger of dunning steps: one row per invoice and stage,
 * written in the same transaction as the mails it causes. The primary key is
 * what keeps a retried or concurrent job from mailing a stage twice; the
 * `suspension` stage records that the invoice already caused a suspension, so
 * a suspension that staff lift is not set again for the same invoice.
 */
export const dunningNotices = pgTable(
  "dunning_notices",
  {
    invoiceId: integer("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
    stage: text("stage", { enum: ["reminder", "dunning_1", "dunning_2", "suspension"] }).notNull(),
    instanceId: integer("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    /** The day (Berlin) the stage was reached. */
    noticeDate: date("notice_date").notNull(),
    feeCents: bigint("fee_cents", { mode: "number" }).notNull().default(0),
    /** Open amount of the invoice when the stage was reached. */
    openCents: bigint("open_cents", { mode: "number" }).notNull(),
    mailCount: integer("mail_count").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.stage] }), index("dunning_notices_instance_idx").on(t.instanceId, t.noticeDate)],
);

/** Staff paused dunning for the instance (no mails, no suspension) with a note; deleting the row resumes it. */
export const dunningPauses = pgTable("dunning_pauses", {
  instanceId: integer("instance_id")
    .primaryKey()
    .references(() => instances.id, { onDelete: "cascade" }),
  note: text("note").notNull(),
  pausedBy: uuid("paused_by").references(() => users.id, { onDelete: "set null" }),
  pausedByName: text("paused_by_name"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The suspension of the instance was set by dunning (not by staff). Only such
 * a suspension is lifted automatically, and only while `suspended_at` still
 * matches the instance's — a suspension staff lifted and set again by hand is
 * theirs, and the stale row is ignored and removed.
 */
export const dunningSuspensions = pgTable("dunning_suspensions", {
  instanceId: integer("instance_id")
    .primaryKey()
    .references(() => instances.id, { onDelete: "cascade" }),
  suspendedAt: timestamp("suspended_at", { withTimezone: true }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
