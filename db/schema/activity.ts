import { index, integer, jsonb, pgTable, serial, text, timestamp, uuid } from "drizzle-orm/pg-core";
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
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("activity_log_instance_idx").on(t.instanceId, t.createdAt)],
);

/** Mail captured instead of sent (development and tests). */
export const mailOutbox = pgTable("mail_outbox", {
  id: serial("id").primaryKey(),
  to: text("to").notNull(),
  subject: text("subject").notNull(),
  text: text("text").notNull(),
  html: text("html"),
  attachments: jsonb("attachments").$type<{ filename: string; contentType: string; size: number }[]>(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
