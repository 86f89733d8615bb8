import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { instances } from "./instances";

/** Roles grant named permissions; `staff` roles belong to the MSP, not to an instance. */
export const roles = pgTable("roles", {
  key: text("key").primaryKey(),
  label: text("label").notNull(),
  staff: boolean("staff").notNull().default(false),
  permissions: text("permissions").array().notNull().default(sql`'{}'::text[]`),
});

/** A login. Customer users belong to one instance; MSP staff have none. */
export const users = pgTable("users", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  instanceId: integer("instance_id").references(() => instances.id, { onDelete: "cascade" }),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash"),
  active: boolean("active").notNull().default(true),
  twoFactorEnabled: boolean("two_factor_enabled").notNull().default(false),
  lastLoginAt: timestamp("last_login_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index("users_instance_idx").on(t.instanceId)]);

export const userRoles = pgTable(
  "user_roles",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    roleKey: text("role_key")
      .notNull()
      .references(() => roles.key),
  },
  (t) => [primaryKey({ columns: [t.userId, t.roleKey] })],
);
