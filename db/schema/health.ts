import { sql } from "drizzle-orm";
import { bigserial, boolean, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { instances } from "./instances";

/**
 * Results of the HTTPS probes of each instance's portal and MeshCentral URL
 * (lib/health/probe.ts). A short history only — the probe keeps the latest 50
 * per instance and target — enough to show when a problem started and to
 * derive `health_status` from the latest result.
 */
export const healthChecks = pgTable(
  "health_checks",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    instanceId: integer("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    target: text("target", { enum: ["portal", "meshcentral"] }).notNull(),
    url: text("url").notNull(),
    ok: boolean("ok").notNull(),
    /** HTTP status of the answer; null when there was none (timeout, refused, TLS error). */
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms"),
    error: text("error"),
    checkedAt: timestamp("checked_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("health_checks_instance_target_idx").on(t.instanceId, t.target, t.id)],
);

/**
 * Alert state per instance, so a failure sends exactly one mail and the
 * recovery exactly one more, however many probes run and however many
 * workers run them: `failing_since` starts a failure streak, `alerted_at` is
 * set by the one conditional UPDATE that wins and queues the mail.
 * `notify_customer`: the instance opted in to alerts for its own admins too.
 */
export const instanceHealth = pgTable("instance_health", {
  instanceId: integer("instance_id")
    .primaryKey()
    .references(() => instances.id, { onDelete: "cascade" }),
  notifyCustomer: boolean("notify_customer").notNull().default(false),
  failingSince: timestamp("failing_since", { withTimezone: true }),
  alertedAt: timestamp("alerted_at", { withTimezone: true }),
  lastProbedAt: timestamp("last_probed_at", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().default(sql`now()`),
});

/**
 * Uptime per probed URL and day over 90 days: the probe adds one check (and a
 * failure when it failed) in its transaction. The 50-result history above is
 * too short for a 90-day bar; counters are small and exact.
 */
export const uptimeDays = pgTable(
  "uptime_days",
  {
    instanceId: integer("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    target: text("target", { enum: ["portal", "meshcentral"] }).notNull(),
    day: date("day").notNull(),
    checks: integer("checks").notNull().default(0),
    failures: integer("failures").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.instanceId, t.target, t.day] })],
);

/**
 * Outages of a probed URL: opened by the first failed probe, closed by the
 * next successful one. At most one open incident per URL (unique partial
 * index in 0016_hetzner.sql), so two workers cannot open two.
 */
export const uptimeIncidents = pgTable(
  "uptime_incidents",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    instanceId: integer("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    target: text("target", { enum: ["portal", "meshcentral"] }).notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    lastError: text("last_error"),
  },
  (t) => [
    uniqueIndex("uptime_incidents_one_open").on(t.instanceId, t.target).where(sql`${t.endedAt} IS NULL`),
    index("uptime_incidents_instance_started_idx").on(t.instanceId, t.startedAt),
  ],
);
