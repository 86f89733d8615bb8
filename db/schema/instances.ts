import { sql } from "drizzle-orm";
import { boolean, date, integer, pgTable, serial, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** Pricing tiers: label, monthly price and default limits, editable by MSP staff. */
export const pricingTiers = pgTable("pricing_tiers", {
  key: text("key").primaryKey(),
  label: text("label").notNull(),
  monthlyPriceCents: integer("monthly_price_cents").notNull(),
  maxCustomers: integer("max_customers").notNull(),
  maxDevices: integer("max_devices").notNull(),
  sortOrder: integer("sort_order").notNull().default(0),
});

/** The tenant: one customer's instance (server, portal, MeshCentral). */
export const instances = pgTable("instances", {
  id: serial("id").primaryKey(),
  uuid: uuid("uuid").notNull().unique().default(sql`gen_random_uuid()`),
  name: text("name").notNull().unique(),
  companyName: text("company_name").notNull(),
  status: text("status", { enum: ["provisioning", "online", "offline", "maintenance"] })
    .notNull()
    .default("provisioning"),
  pricingTier: text("pricing_tier")
    .notNull()
    .references(() => pricingTiers.key),
  portalDomain: text("portal_domain").notNull(),
  meshcentralDomain: text("meshcentral_domain").notNull(),
  suspended: boolean("suspended").notNull().default(false),
  /** Set by the customer's admin: every user of the instance needs an authenticator app or a passkey. */
  requireTwoFactor: boolean("require_two_factor").notNull().default(false),
  suspendedReason: text("suspended_reason"),
  suspendedAt: timestamp("suspended_at", { withTimezone: true }),
  /** Per-instance overrides of the tier's limits; null = the tier's value. */
  maxCustomers: integer("max_customers"),
  maxDevices: integer("max_devices"),
  appVersion: text("app_version"),
  portalVersion: text("portal_version"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** The instance's Hetzner server as last seen. */
export const servers = pgTable("servers", {
  instanceId: integer("instance_id")
    .primaryKey()
    .references(() => instances.id, { onDelete: "cascade" }),
  hetznerServerId: integer("hetzner_server_id"),
  name: text("name"),
  ipv4: text("ipv4"),
  serverType: text("server_type"),
  datacenter: text("datacenter"),
  /** Portal status: online, off, starting, stopping, rebooting, unknown … */
  status: text("status").notNull().default("unknown"),
  /** healthy, degraded, unhealthy, unknown, or off (switched off on purpose, not a problem): lib/health/derive.ts. */
  healthStatus: text("health_status", { enum: ["healthy", "degraded", "unhealthy", "unknown", "off"] })
    .notNull()
    .default("unknown"),
  lastSyncedAt: timestamp("last_synced_at", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Billing state of an instance. */
export const billing = pgTable("billing", {
  instanceId: integer("instance_id")
    .primaryKey()
    .references(() => instances.id, { onDelete: "cascade" }),
  status: text("status", { enum: ["trial", "active", "past_due", "cancelled"] })
    .notNull()
    .default("trial"),
  /** Overrides the tier's price for this instance; null = the tier's price. */
  monthlyPriceCents: integer("monthly_price_cents"),
  trialEndsAt: date("trial_ends_at"),
  paidUntil: date("paid_until"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Custom domains of an instance: at most one per kind, each domain used once. */
export const customDomains = pgTable(
  "custom_domains",
  {
  id: serial("id").primaryKey(),
  instanceId: integer("instance_id")
    .notNull()
    .references(() => instances.id, { onDelete: "cascade" }),
  kind: text("kind", { enum: ["portal", "meshcentral"] }).notNull(),
  domain: text("domain").notNull().unique(),
  applied: boolean("applied").notNull().default(false),
  appliedAt: timestamp("applied_at", { withTimezone: true }),
  lastError: text("last_error"),
  lastCheckStatus: text("last_check_status"),
  lastCheckedAt: timestamp("last_checked_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex("custom_domains_instance_kind_idx").on(t.instanceId, t.kind)]);

/**
 * What the instance reports about its own use — customers and devices it
 * manages — asked through the signed instance agent (lib/instances/usage.ts).
 * The last answer is kept so the overview and the staff list show usage
 * against the limits without asking every instance on every page view;
 * `error` is the German reason when the last question failed.
 */
export const instanceUsage = pgTable("instance_usage", {
  instanceId: integer("instance_id")
    .primaryKey()
    .references(() => instances.id, { onDelete: "cascade" }),
  customers: integer("customers"),
  devices: integer("devices"),
  /** When the instance counted (its own clock). */
  reportedAt: timestamp("reported_at", { withTimezone: true }),
  checkedAt: timestamp("checked_at", { withTimezone: true }).notNull().defaultNow(),
  error: text("error"),
});
