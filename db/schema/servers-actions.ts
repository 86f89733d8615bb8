import { bigint, index, integer, pgTable, serial, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { instances } from "./instances";
import { users } from "./users";

/**
 * Server actions triggered through the portal (reboot, power off/on). The
 * running Hetzner action id lives here so that any app process can read its
 * progress from Hetzner and finalize the stored server status when it ends.
 */
export const serverActions = pgTable(
  "server_actions",
  {
    id: serial("id").primaryKey(),
    instanceId: integer("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    hetznerServerId: integer("hetzner_server_id").notNull(),
    /** Hetzner action id; null when no Hetzner action was created. */
    hetznerActionId: bigint("hetzner_action_id", { mode: "number" }),
    /** Portal action: reboot | power-off | power-on. */
    action: text("action").notNull(),
    /** Hetzner command, e.g. reboot_server, shutdown_server, stop_server, start_server. */
    command: text("command").notNull(),
    /**
     * running: Hetzner action running; waiting: ACPI shutdown sent, waiting for
     * the server to be off; success | error: finished.
     */
    status: text("status", { enum: ["running", "waiting", "success", "error"] }).notNull().default("running"),
    progress: integer("progress").notNull().default(0),
    /** German outcome text once finished (error reason or success note). */
    resultMessage: text("result_message"),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    actorName: text("actor_name"),
    ip: text("ip"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    /** Last time a process asked Hetzner about this action (throttles polling across processes). */
    polledAt: timestamp("polled_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("server_actions_instance_idx").on(t.instanceId, t.startedAt)],
);
