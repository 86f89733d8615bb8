import "zod-openapi";
import { BULK_ACTIONS } from "@/lib/admin/bulk";
import { invoiceDetail, invoiceList, invoiceListItem, invoiceRecipient } from "@/lib/invoices/api-schemas";
import { z } from "@/lib/validation";
import { instanceUsage } from "./openapi-bodies";
import * as s from "./schemas";

/**
 * The success bodies of the staff API (/api/manage/admin/**), closed: each field the presenter in
 * lib/** writes, nothing else. The staff operations in openapi.ts must name one of these; the
 * response check of the tests holds every real answer against them.
 */

const ts = s.apiTimestampField;
const day = () => z.string().meta({ format: "date", example: "2026-12-01" });
const int = () => z.number().int();
const amount = () => z.number().meta({ description: "Betrag in Euro" });
const label = () => z.string();

/* ---------- instances ---------- */


const listServer = {
  hetzner_server_id: int().nullable(),
  status: z.string(),
  status_label: label(),
  health_status: z.string(),
  health_status_label: label(),
  ipv4: z.string().nullable(),
};
const listBilling = {
  status: z.string(),
  status_label: label(),
  paid_until: day().nullable(),
  trial_ends_at: day().nullable(),
  open_amount: amount(),
  open_amount_label: label(),
  overdue_count: int(),
};
const instanceListFields = {
  id: int(),
  uuid: z.string().uuid(),
  name: z.string(),
  company_name: z.string(),
  status: z.string(),
  status_label: label(),
  suspended: z.boolean(),
  suspended_reason: z.string().nullable(),
  suspended_at: ts().nullable(),
  pricing_tier: z.string(),
  pricing_tier_label: label(),
  portal_domain: z.string(),
  meshcentral_domain: z.string(),
  server: z.object(listServer).strict(),
  billing: z.object(listBilling).strict(),
  usage: instanceUsage,
  created_at: ts(),
};
const instanceListItem = z.object(instanceListFields).strict().meta({ id: "StaffInstanceListItem" });

export const instanceList = z.object({ instances: z.array(instanceListItem), meta: s.paginationMeta }).strict().meta({ id: "StaffInstanceList" });

const instanceDetailView = z
  .object({
    ...instanceListFields,
    server: z
      .object({ ...listServer, name: z.string().nullable(), server_type: z.string().nullable(), datacenter: z.string().nullable(), last_synced_at: ts().nullable() })
      .strict(),
    billing: z.object({ ...listBilling, monthly_price: label().meta({ description: "Heutiger Monatspreis, formatiert" }), open_invoice_count: int() }).strict(),
    limits: z
      .object({
        max_customers: int(),
        max_devices: int(),
        max_customers_override: int().nullable(),
        max_devices_override: int().nullable(),
        tier_max_customers: int(),
        tier_max_devices: int(),
      })
      .strict(),
    custom_domains: z.array(z.object({ kind: z.string(), domain: z.string(), applied: z.boolean() }).strict()),
    instance_status: z.string().meta({ description: "Gespeicherter Status ohne Sperre" }),
    user_count: int(),
    updated_at: ts(),
  })
  .strict()
  .meta({ id: "StaffInstanceDetail" });

export const instanceDetail = z.object({ instance: instanceDetailView }).strict().meta({ id: "StaffInstance" });
/** A command on an instance: its message and the instance as GET …/instances/{id} shows it. */
export const instanceWithMessage = z.object({ message: z.string(), instance: instanceDetailView }).strict().meta({ id: "StaffInstanceWithMessage" });

export const bulkResult = z
  .object({
    message: z.string(),
    action: z.enum(BULK_ACTIONS),
    succeeded: int(),
    failed: int(),
    results: z.array(z.object({ instance_id: int(), ok: z.boolean(), message: z.string() }).strict()),
  })
  .strict()
  .meta({ id: "BulkActionResult" });

/* ---------- users and roles ---------- */

const staffUser = z
  .object({
    id: z.string().uuid(),
    email: z.string(),
    name: z.string(),
    instance_id: int().nullable(),
    instance_name: z.string().nullable(),
    staff: z.boolean(),
    status: z.enum(["active", "invited", "deactivated"]),
    status_label: label(),
    active: z.boolean(),
    two_factor_enabled: z.boolean(),
    sign_in_methods: z.array(z.string()).meta({ description: "Anmeldeverfahren neben dem Passwort, als deutsche Bezeichnungen" }),
    second_factors: z.object({ email: z.boolean(), totp: z.boolean(), passkeys: int(), recovery_codes_remaining: int() }).strict(),
    roles: z.array(z.object({ key: z.string(), label: label() }).strict()),
    last_login_at: ts().nullable(),
    created_at: ts(),
  })
  .strict()
  .meta({ id: "StaffUser" });

export const userList = z.object({ users: z.array(staffUser), meta: s.paginationMeta }).strict().meta({ id: "StaffUserList" });
export const userWithMessage = z.object({ message: z.string(), user: staffUser }).strict().meta({ id: "StaffUserWithMessage" });
export const roleList = z
  .object({ roles: z.array(z.object({ key: z.string(), label: label(), staff: z.boolean(), permissions: z.array(z.string()) }).strict()) })
  .strict()
  .meta({ id: "RoleList" });

/* ---------- tiers ---------- */

const priceChangeFields = {
  effective_from: day(),
  effective_from_label: label(),
  monthly_price: amount(),
  monthly_price_cents: int(),
  monthly_price_label: label(),
  label: label().meta({ example: "ab 01.12.2026: 39,00 €" }),
};
const tier = z
  .object({
    key: z.string(),
    label: label(),
    monthly_price: amount(),
    monthly_price_cents: int(),
    monthly_price_label: label(),
    upcoming_price_changes: z.array(z.object(priceChangeFields).strict()),
    max_customers: int(),
    max_devices: int(),
    instance_count: int(),
  })
  .strict()
  .meta({ id: "Tier" });

export const tierList = z.object({ tiers: z.array(tier), default_effective_from: day() }).strict().meta({ id: "TierList" });
export const tierWithMessage = z.object({ message: z.string(), tier }).strict().meta({ id: "TierWithMessage" });

const tierPriceImpact = z
  .object({
    tier_key: z.string(),
    tier_label: label(),
    effective_from: day(),
    effective_from_label: label(),
    previous_price_cents: int(),
    previous_price_label: label(),
    monthly_price_cents: int(),
    monthly_price_label: label(),
    instance_count: int(),
    customer_count: int(),
    instances_on_tier: int(),
    price_override_count: int(),
    already_billed_count: int(),
    already_billed_period_label: label(),
    summary_label: label(),
  })
  .strict()
  .meta({ id: "TierPriceImpact" });

/** dry_run: true → 200 with the impact only; otherwise 201 with the scheduled change. */
export const tierPriceScheduled = z
  .object({
    dry_run: z.boolean(),
    message: z.string(),
    impact: tierPriceImpact,
    price_change: z.object({ ...priceChangeFields, tier_key: z.string(), created_at: ts() }).strict().nullable().meta({ description: "null bei dry_run" }),
  })
  .strict()
  .meta({ id: "TierPriceScheduled" });

/* ---------- mails ---------- */

const mailStatus = z.enum(["queued", "sending", "sent", "failed"]);
export const mailList = z
  .object({
    mails: z.array(
      z
        .object({
          id: int(),
          to: z.string(),
          subject: z.string(),
          text: z.string(),
          status: mailStatus,
          status_label: label(),
          attempts: int(),
          last_error: z.string().nullable(),
          next_attempt_at: ts().nullable(),
          sent_at: ts().nullable(),
          created_at: ts(),
        })
        .strict(),
    ),
    failed_count: int(),
    meta: s.paginationMeta,
  })
  .strict()
  .meta({ id: "StaffMailList" });
export const mailResent = z
  .object({ message: z.string(), mail: z.object({ id: int().nullable().meta({ description: "Die neue Mail (bei ersetztem Link oder Code)" }), status: z.literal("queued") }).strict() })
  .strict()
  .meta({ id: "MailResent" });

/* ---------- dashboard ---------- */

export const dashboard = z
  .object({
    instances: z
      .object({
        total: int(),
        by_status: z.array(z.object({ status: z.string(), status_label: label(), count: int() }).strict()),
        past_due: z.array(z.object({ instance_id: int(), instance_name: z.string(), company_name: z.string() }).strict()),
      })
      .strict(),
    servers_not_healthy: z.array(
      z
        .object({
          instance_id: int(),
          instance_name: z.string(),
          company_name: z.string(),
          hetzner_server_id: int().nullable(),
          status: z.string(),
          status_label: label(),
          health_status: z.string(),
          health_status_label: label(),
        })
        .strict(),
    ),
    invoices: z
      .object({
        open_amount: amount(),
        open_amount_label: label(),
        overdue_amount: amount(),
        overdue_amount_label: label(),
        overdue: z.array(
          z
            .object({
              instance_id: int(),
              instance_name: z.string(),
              company_name: z.string(),
              overdue_count: int(),
              overdue_amount: amount(),
              overdue_amount_label: label(),
              dunning_stage: z.string().nullable(),
              dunning_stage_label: label(),
              next_step_label: label().nullable(),
              invoices: z.array(
                z.object({ invoice_id: int(), invoice_number: z.string(), days_overdue: int(), open_amount_formatted: label(), stage_label: label() }).strict(),
              ),
            })
            .strict(),
        ),
      })
      .strict(),
    mails: z.object({ failed_count: int() }).strict(),
    recent_activity: z.array(
      z
        .object({
          id: int(),
          instance_id: int().nullable(),
          instance_name: z.string().nullable(),
          company_name: z.string().nullable(),
          action: z.string(),
          description: z.string(),
          level: z.enum(["info", "warning", "error"]),
          actor: z.string().nullable(),
          created_at: ts(),
        })
        .strict(),
    ),
  })
  .strict()
  .meta({ id: "StaffDashboard" });

/* ---------- impersonation ---------- */

export const impersonationCurrent = z.object({ impersonation: s.impersonationView.nullable() }).strict().meta({ id: "ImpersonationCurrent" });
export const impersonationStarted = z.object({ message: z.string(), impersonation: s.impersonationView }).strict().meta({ id: "ImpersonationStarted" });
export const impersonationEnded = z.object({ message: z.string(), instance_id: int() }).strict().meta({ id: "ImpersonationEnded" });

/* ---------- server ---------- */

export const healthAlerts = z.object({ customer_alerts: z.boolean() }).strict().meta({ id: "HealthAlerts" });
export const healthAlertsSaved = z.object({ message: z.string(), customer_alerts: z.boolean() }).strict().meta({ id: "HealthAlertsSaved" });

/* ---------- dunning ---------- */

const dunningStage = z.enum(["reminder", "dunning_1", "dunning_2", "suspension"]);
const dunningState = z
  .object({
    paused: z.boolean(),
    note: z.string().nullable(),
    paused_by: z.string().nullable(),
    paused_at: ts().nullable(),
    suspended_by_dunning: z.boolean(),
    current_stage: dunningStage.nullable(),
    current_stage_label: label(),
    next_step: z.object({ stage: dunningStage, stage_label: label(), date: day(), invoice_number: z.string() }).strict().nullable(),
    next_step_blocked: z.string().nullable().meta({ description: "Warum kein nächster Schritt kommt (ausgeschaltet, pausiert)" }),
    overdue_invoices: z.array(
      z
        .object({
          invoice_id: int(),
          invoice_number: z.string(),
          due_date: day(),
          days_overdue: int(),
          open_amount_formatted: label(),
          stage: dunningStage.nullable(),
          stage_label: label(),
        })
        .strict(),
    ),
    notices: z.array(
      z
        .object({ invoice_number: z.string(), stage: dunningStage, stage_label: label(), date: day(), open_amount_formatted: label(), fee_formatted: label().nullable() })
        .strict(),
    ),
  })
  .strict()
  .meta({ id: "DunningState" });
export const dunningView = z.object({ dunning: dunningState }).strict().meta({ id: "DunningView" });
export const dunningChanged = z.object({ message: z.string(), dunning: dunningState }).strict().meta({ id: "DunningChanged" });
export const dunningSent = z
  .object({
    message: z.string(),
    sent: z.object({ invoice_number: z.string(), stage: dunningStage, stage_label: label() }).strict(),
    dunning: dunningState,
  })
  .strict()
  .meta({ id: "DunningSent" });

const dunningSettings = z
  .object({
    enabled: z.boolean(),
    reminder_days: int(),
    dunning_1_days: int(),
    dunning_2_days: int(),
    dunning_2_fee: amount(),
    dunning_2_fee_formatted: label(),
    suspend_after_days: int(),
    updated_at: ts().nullable(),
  })
  .strict()
  .meta({ id: "DunningSettings" });
export const dunningSettingsView = z.object({ settings: dunningSettings }).strict().meta({ id: "DunningSettingsView" });
export const dunningSettingsSaved = z.object({ message: z.string(), settings: dunningSettings }).strict().meta({ id: "DunningSettingsSaved" });

/* ---------- billing ---------- */

const planItem = z
  .object({
    id: int(),
    description: z.string(),
    quantity: z.number(),
    quantity_label: label(),
    unit: z.string(),
    unit_price_cents: int(),
    unit_price_label: label(),
    vat_rate: z.number().meta({ description: "Prozent" }),
    vat_rate_label: label(),
    starts_on: day(),
    ends_on: day().nullable(),
    created_at: ts(),
  })
  .strict()
  .meta({ id: "PlanItem" });
export const planItems = z.object({ items: z.array(planItem) }).strict().meta({ id: "PlanItems" });
export const planItemAdded = z.object({ message: z.string(), item: planItem }).strict().meta({ id: "PlanItemAdded" });

const billingSettings = z
  .object({ billing_day: int(), bill_suspended: z.boolean(), auto_issue: z.boolean(), updated_at: ts().nullable() })
  .strict()
  .meta({ id: "BillingSettings" });
export const billingSettingsView = z.object({ settings: billingSettings }).strict().meta({ id: "BillingSettingsView" });
export const billingSettingsSaved = z.object({ message: z.string(), settings: billingSettings }).strict().meta({ id: "BillingSettingsSaved" });

export const billingPreview = z
  .object({
    preview: z
      .object({
        period: z.string().meta({ example: "2026-11" }),
        period_label: label(),
        service_period: label(),
        invoice_count: int(),
        net_total_cents: int(),
        net_total_label: label(),
        gross_total_cents: int(),
        gross_total_label: label(),
        already_billed_count: int(),
        conflict_count: int(),
        auto_issue: z.boolean(),
        summary_label: label(),
        invoices: z.array(
          z
            .object({
              instance_id: int(),
              instance_name: z.string().nullable(),
              company_name: z.string().nullable(),
              net_cents: int(),
              net_label: label(),
              vat_cents: int(),
              vat_label: label(),
              gross_cents: int(),
              gross_label: label(),
              lines: z.array(z.object({ description: z.string(), net_cents: int(), net_label: label() }).strict()),
              conflicts: z.array(
                z
                  .object({
                    invoice_id: int(),
                    invoice_number: z.string().nullable(),
                    title: z.string(),
                    service_period: label(),
                    covered_lines: z.array(z.string()).meta({ description: "Positionen des Laufs, die diese Rechnung schon abdeckt" }),
                  })
                  .strict(),
              ),
            })
            .strict(),
        ),
      })
      .strict(),
  })
  .strict()
  .meta({ id: "BillingPreview" });

export const billingRunDone = z
  .object({
    message: z.string(),
    run: z
      .object({
        run_id: int(),
        period: z.string(),
        period_label: label(),
        invoice_count: int(),
        net_total_cents: int(),
        net_total_label: label(),
        issued_count: int(),
        issue_failed_count: int(),
        conflict_count: int(),
        summary_label: label(),
        started_at: ts(),
        finished_at: ts().nullable(),
      })
      .strict(),
  })
  .strict()
  .meta({ id: "BillingRunDone" });

/* ---------- invoices ---------- */

const instanceRef = z.object({ id: int(), name: z.string().nullable(), company_name: z.string().nullable() }).strict();
const staffInvoiceListItem = invoiceListItem.omit({ tenant_id: true }).extend({ instance: instanceRef }).strict().meta({ id: "StaffInvoiceListItem" });
export const staffInvoiceList = invoiceList.extend({ invoices: z.array(staffInvoiceListItem) }).strict().meta({ id: "StaffInvoiceList" });
const staffInvoice = invoiceDetail.extend({ instance_id: int(), instance: instanceRef }).strict().meta({ id: "StaffInvoiceDetail" });
export const staffInvoiceView = z.object({ invoice: staffInvoice }).strict().meta({ id: "StaffInvoice" });
export const staffInvoiceWithMessage = z.object({ message: z.string(), invoice: staffInvoice }).strict().meta({ id: "StaffInvoiceWithMessage" });
export const invoiceCancelled = z
  .object({ message: z.string(), invoice: staffInvoice, credit_note: staffInvoice.meta({ description: "Die Stornorechnung" }) })
  .strict()
  .meta({ id: "InvoiceCancelled" });
export const recipients = z
  .object({
    instances: z.array(
      z
        .object({ id: int(), name: z.string(), company_name: z.string(), recipient: invoiceRecipient.meta({ description: "Empfänger der letzten Rechnung, sonst die Firma ohne Anschrift" }) })
        .strict(),
    ),
  })
  .strict()
  .meta({ id: "InvoiceRecipients" });

/* ---------- bank statements ---------- */

const count = () => z.number().int().min(0);
const bankEntry = z
  .object({
    id: int(),
    status: z.enum(["matched", "partially_matched", "unmatched", "ignored"]),
    status_label: label(),
    booking_date: day(),
    value_date: day().nullable(),
    amount: amount(),
    amount_formatted: label(),
    open_amount: amount(),
    open_amount_formatted: label(),
    currency: z.string(),
    remittance_text: z.string().nullable(),
    debtor_name: z.string().nullable(),
    debtor_iban: z.string().nullable(),
    entry_reference: z.string().nullable(),
    account_iban: z.string().nullable(),
    note: z.string().nullable(),
    allocations: z.array(
      z
        .object({
          id: int(),
          invoice_id: int(),
          invoice_number: z.string().nullable(),
          instance_id: int(),
          amount: amount(),
          amount_formatted: label(),
          source: z.enum(["automatic", "manual"]),
          created_at: ts(),
          undone: z.boolean().meta({ description: "Durch eine Gegenbuchung zurückgenommen" }),
          undone_at: ts().nullable(),
          undo_reason: z.string().nullable(),
          undoable: z.boolean(),
        })
        .strict(),
    ),
    created_at: ts(),
  })
  .strict()
  .meta({ id: "BankEntry" });

export const bankStatementImport = z
  .object({
    import: z.object({ id: int(), filename: z.string().nullable(), message_id: z.string().nullable(), created_at: ts() }).strict(),
    summary: z.object({ entries: count(), new_entries: count(), duplicates: count(), matched: count(), partially_matched: count(), unmatched: count(), ignored: count() }).strict(),
    entries: z.array(bankEntry).meta({ description: "Die neuen Buchungen des Auszugs wie in GET /api/manage/admin/bank-statements/entries" }),
  })
  .strict()
  .meta({ id: "BankStatementImport" });
export const bankEntries = z.object({ entries: z.array(bankEntry) }).strict().meta({ id: "BankEntries" });
export const bankEntryAssigned = z
  .object({ entry: bankEntry, reactivated_instance_ids: z.array(int()).meta({ description: "Instanzen, deren Mahnsperre mit dieser Zahlung aufgehoben wurde" }) })
  .strict()
  .meta({ id: "BankEntryAssigned" });
export const bankEntryUnassigned = z.object({ entry: bankEntry }).strict().meta({ id: "BankEntryUnassigned" });
export const bankEntrySuggestions = z
  .object({
    entry_id: int(),
    open_amount: amount(),
    open_amount_formatted: label(),
    suggestions: z.array(
      z
        .object({
          invoice_id: int(),
          invoice_number: z.string(),
          instance_id: int(),
          instance_name: z.string(),
          company_name: z.string(),
          invoice_date: day().nullable(),
          due_date: day().nullable(),
          open_amount: amount(),
          open_amount_formatted: label(),
          score: z.number(),
          reasons: z.array(z.string()),
        })
        .strict(),
    ),
  })
  .strict()
  .meta({ id: "BankEntrySuggestions" });

