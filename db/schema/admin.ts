import { index, integer, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { sessions } from "./auth";
import { instances } from "./instances";
import { users } from "./users";

/**
 * "Ansicht als Kunde": a staff session that currently looks at one customer's
 * instance, read-only. Keyed by the session, so it ends with the session and
 * is shared by every app process.
 */
export const staffImpersonations = pgTable(
  "staff_impersonations",
  {
    sessionId: uuid("session_id")
      .primaryKey()
      .references(() => sessions.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    instanceId: integer("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("staff_impersonations_instance_idx").on(t.instanceId)],
);
