import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
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
