import { sql } from "drizzle-orm";
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { instances, pricingTiers } from "./instances";
import { invoices } from "./invoices";
import { users } from "./users";

/**
 * Recurring billing (lib/billing). The per-instance state (status, trial_ends_at,
 * paid_until, price override) stays in `billing` (instances.ts); these tables add
 * the plan, the settings and the exactly-once ledger of billed periods.
 */

/**
 * How billing runs, one row (id = 1) editable by staff: the day of the month the
 * scheduled run bills the current month, whether suspended instances keep being
 * billed (the contract runs on), and whether invoices are issued and mailed at
 * once or kept as drafts for review.
 */
export const billingSettings = pgTable(
  "billing_settings",
  {
    id: integer("id").primaryKey().default(1),
    billingDay: integer("billing_day").notNull().default(1),
    billSuspended: boolean("bill_suspended").notNull().default(true),
    autoIssue: boolean("auto_issue").notNull().default(false),
    /** VAT rate of the tier line in basis points (1900 = 19 %). */
    tierVatRate: integer("tier_vat_rate").notNull().default(1900),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("billing_settings_single_row", sql`${t.id} = 1`), check("billing_settings_day", sql`${t.billingDay} between 1 and 28`)],
);

/** Recurring extra items of an instance's plan (billed monthly while start ≤ day ≤ end). */
export const billingPlanItems = pgTable(
  "billing_plan_items",
  {
    id: serial("id").primaryKey(),
    instanceId: integer("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    description: text("description").notNull(),
    /** Quantity in thousandths, as on invoice items. */
    quantityMilli: bigint("quantity_milli", { mode: "number" }).notNull(),
    unit: text("unit").notNull().default("Stück"),
    /** Monthly price per unit. */
    unitPriceCents: bigint("unit_price_cents", { mode: "number" }).notNull(),
    vatRate: integer("vat_rate").notNull(),
    startsOn: date("starts_on").notNull(),
    /** Last billed day (inclusive); null = open-ended. */
    endsOn: date("ends_on"),
    /**
     * Set when the portal keeps the item itself (`hetzner_backup`: Hetzner backups while they
     * are on); at most one open item per instance and source (0016_hetzner.sql). Null = staff's own item.
     */
    source: text("source"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("billing_plan_items_instance_idx").on(t.instanceId),
    uniqueIndex("billing_plan_items_one_open_source").on(t.instanceId, t.source).where(sql`${t.source} IS NOT NULL AND ${t.endsOn} IS NULL`),
  ],
);

/**
 * Tier history for pro-rata billing of a tier change mid-period: from
 * `effective_from` on the instance is on `tier_key`. Days before the first
 * entry use the instance's current tier.
 */
export const instanceTierChanges = pgTable(
  "instance_tier_changes",
  {
    id: serial("id").primaryKey(),
    instanceId: integer("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    tierKey: text("tier_key")
      .notNull()
      .references(() => pricingTiers.key),
    effectiveFrom: date("effective_from").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("instance_tier_changes_day_idx").on(t.instanceId, t.effectiveFrom)],
);

/**
 * Scheduled price changes of a pricing tier (issue 14): from `effective_from` on,
 * the tier costs `monthly_price_cents`. The price on a day is the latest change
 * with effective_from <= day, else `pricing_tiers.monthly_price_cents` (the base
 * price). Billing splits a period at each change like at a tier change, so a
 * change never reprices days before its date. One change per tier and day (the
 * primary key); a change that has not taken effect yet can be deleted (cancelled).
 */
export const tierPriceChanges = pgTable(
  "tier_price_changes",
  {
    tierKey: text("tier_key")
      .notNull()
      .references(() => pricingTiers.key, { onDelete: "cascade" }),
    effectiveFrom: date("effective_from").notNull(),
    monthlyPriceCents: integer("monthly_price_cents").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tierKey, t.effectiveFrom] }), check("tier_price_changes_price", sql`${t.monthlyPriceCents} >= 0`)],
);

/** One billing run (scheduled job or staff button); a repeated run is a new row that bills nothing twice. */
export const billingRuns = pgTable("billing_runs", {
  id: serial("id").primaryKey(),
  periodStart: date("period_start").notNull(),
  periodEnd: date("period_end").notNull(),
  actorName: text("actor_name").notNull(),
  status: text("status", { enum: ["running", "finished", "failed"] }).notNull().default("running"),
  invoiceCount: integer("invoice_count").notNull().default(0),
  netCents: bigint("net_cents", { mode: "number" }).notNull().default(0),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
});

/**
 * The exactly-once ledger: one row per instance and billed period, inserted with
 * ON CONFLICT DO NOTHING in the same transaction as the invoice draft. The primary
 * key (not a check in code) is what keeps repeated, crashed or concurrent runs
 * from billing a period twice.
 */
export const billingPeriods = pgTable(
  "billing_periods",
  {
    instanceId: integer("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "restrict" }),
    periodStart: date("period_start").notNull(),
    periodEnd: date("period_end").notNull(),
    invoiceId: integer("invoice_id").references(() => invoices.id, { onDelete: "set null" }),
    runId: integer("run_id").references(() => billingRuns.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.instanceId, t.periodStart] }), index("billing_periods_invoice_idx").on(t.invoiceId)],
);

export const EINVOICE_FORMATS = ["xrechnung_ubl", "xrechnung_cii", "facturx"] as const;
export type EinvoiceFormatKey = (typeof EINVOICE_FORMATS)[number];
export const VAT_TREATMENTS = ["domestic", "eu_reverse_charge", "tax_exempt", "outside_eu"] as const;
export type VatTreatment = (typeof VAT_TREATMENTS)[number];

/**
 * Whom an instance's invoices go to and how they are taxed and delivered (lib/billing/profile.ts).
 * Staff edit all of it, customer admins the address and the invoice e-mails. Drafts and
 * billing runs copy it into the invoice's recipient snapshot, so issued invoices never change
 * when the profile does. An incomplete profile (migrated from the old e-invoice settings) has
 * empty address fields; drafting then still works, issuing an e-invoice asks for the address.
 */
export const instanceBillingProfiles = pgTable(
  "instance_billing_profiles",
  {
    instanceId: integer("instance_id")
      .primaryKey()
      .references(() => instances.id, { onDelete: "cascade" }),
    legalName: text("legal_name").notNull(),
    contactName: text("contact_name"),
    street: text("street").notNull(),
    additionalLine: text("additional_line"),
    postCode: text("post_code").notNull(),
    city: text("city").notNull(),
    /** ISO 3166-1 alpha-2. */
    countryCode: text("country_code").notNull().default("DE"),
    vatId: text("vat_id"),
    /** Public-sector buyers (BT-10), check digits verified (ISO 7064 Mod 97-10). */
    leitwegId: text("leitweg_id"),
    /** Buyer reference / order number when there is no Leitweg-ID. */
    buyerReference: text("buyer_reference"),
    customerNumber: text("customer_number"),
    invoiceEmails: jsonb("invoice_emails").$type<string[]>().notNull().default([]),
    einvoiceFormat: text("einvoice_format", { enum: EINVOICE_FORMATS }).notNull().default("facturx"),
    vatTreatment: text("vat_treatment", { enum: VAT_TREATMENTS }).notNull().default("domestic"),
    /** Legal reason printed on tax-exempt invoices (e.g. "Steuerfrei nach § 4 Nr. 21 UStG"). */
    exemptionReason: text("exemption_reason"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("instance_billing_profiles_country", sql`${t.countryCode} ~ '^[A-Z]{2}$'`),
    check("instance_billing_profiles_format", sql`${t.einvoiceFormat} in ('xrechnung_ubl', 'xrechnung_cii', 'facturx')`),
    check("instance_billing_profiles_treatment", sql`${t.vatTreatment} in ('domestic', 'eu_reverse_charge', 'tax_exempt', 'outside_eu')`),
    check("instance_billing_profiles_exempt_reason", sql`${t.vatTreatment} <> 'tax_exempt' OR coalesce(${t.exemptionReason}, '') <> ''`),
    check("instance_billing_profiles_reverse_charge_vat_id", sql`${t.vatTreatment} <> 'eu_reverse_charge' OR coalesce(${t.vatId}, '') <> ''`),
  ],
);
