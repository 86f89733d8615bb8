/**
 * The SQL the portal sends for the benchmarked endpoints, in one place: the bare
 * baseline server (bare-server.ts) sends exactly these statements, the plan test
 * (tests/bench/plans.test.ts) EXPLAINs them. Written as drizzle renders the services'
 * queries (lib/auth/sessions.ts, lib/auth/principal.ts, lib/instances/present.ts,
 * lib/status.ts, lib/activity/index.ts, lib/invoices/service.ts); after a change there,
 * `tsx bench/http/capture-sql.ts` prints the portal's current statements to compare.
 */

const SESSION_COLUMNS = `"sessions"."id", "sessions"."user_id", "sessions"."token_hash", "sessions"."kind", "sessions"."ip", "sessions"."user_agent", "sessions"."created_at", "sessions"."last_used_at", "sessions"."expires_at", "sessions"."revoked_at"`;
const USER_COLUMNS = `"users"."id", "users"."instance_id", "users"."email", "users"."name", "users"."password_hash", "users"."active", "users"."two_factor_enabled", "users"."last_login_at", "users"."created_at", "users"."updated_at"`;

/** $1 token hash. lib/auth/sessions.ts findActiveSession */
export const SESSION_LOOKUP = `select ${SESSION_COLUMNS}, ${USER_COLUMNS} from "sessions" inner join "users" on "users"."id" = "sessions"."user_id" where ("sessions"."token_hash" = $1 and "sessions"."revoked_at" is null and "sessions"."expires_at" > now()) limit $2`;

/** $1 user id. lib/auth/principal.ts loadPrincipal */
export const PRINCIPAL_ROLES = `select "roles"."key", "roles"."staff", "roles"."permissions" from "user_roles" inner join "roles" on "roles"."key" = "user_roles"."role_key" where "user_roles"."user_id" = $1`;

/** $1 instance id. lib/instances/present.ts loadInstanceContext */
export const INSTANCE_CONTEXT = `select "instances"."id", "instances"."uuid", "instances"."name", "instances"."company_name", "instances"."status", "instances"."pricing_tier", "instances"."portal_domain", "instances"."meshcentral_domain", "instances"."suspended", "instances"."suspended_reason", "instances"."suspended_at", "instances"."max_customers", "instances"."max_devices", "instances"."app_version", "instances"."portal_version", "instances"."created_at", "instances"."updated_at", "pricing_tiers"."key", "pricing_tiers"."label", "pricing_tiers"."monthly_price_cents", "pricing_tiers"."max_customers", "pricing_tiers"."max_devices", "pricing_tiers"."sort_order" from "instances" inner join "pricing_tiers" on "pricing_tiers"."key" = "instances"."pricing_tier" where "instances"."id" = $1`;

/** $1 instance id, $2 true. */
export const INSTANCE_DOMAINS = `select "kind", "domain" from "custom_domains" where ("custom_domains"."instance_id" = $1 and "custom_domains"."applied" = $2)`;

/** $1 instance id. lib/status.ts instanceStatus */
export const STATUS_SERVER = `select "instance_id", "hetzner_server_id", "name", "ipv4", "server_type", "datacenter", "status", "health_status", "last_synced_at", "updated_at" from "servers" where "servers"."instance_id" = $1`;
export const STATUS_BILLING = `select "instance_id", "status", "monthly_price_cents", "trial_ends_at", "paid_until", "updated_at" from "billing" where "billing"."instance_id" = $1`;

/** $1 instance id. lib/activity/index.ts listActivity */
export const ACTIVITY_COUNT = `select count(*) from "activity_log" where "activity_log"."instance_id" = $1`;
/** $1 instance id, $2 limit, $3 offset. */
export const ACTIVITY_PAGE = `select "id", "instance_id", "user_id", "actor_name", "actor_type", "action", "description", "level", "metadata", "ip", "created_at" from "activity_log" where "activity_log"."instance_id" = $1 order by "activity_log"."created_at" desc, "activity_log"."id" desc limit $2 offset $3`;

// lib/invoices/service.ts: the derived-status subquery "d" over the instance's issued invoices.
const PAID = `coalesce((select sum(p.amount_cents) from "invoice_payments" p where p.invoice_id = "invoices"."id"), 0)`;
/** $1 instance id, $2 today (YYYY-MM-DD). */
const DERIVED = `(select "id", "instance_id", "kind", "invoice_number", "title", "invoice_date", "due_date", "created_at", "gross_cents", ${PAID} as "paid_cents", case
    when "invoices"."cancelled_at" is not null then 'cancelled'
    when "invoices"."issued_at" is null then 'draft'
    when (case when "invoices"."gross_cents" >= 0 then "invoices"."gross_cents" - ${PAID} <= 0
               else "invoices"."gross_cents" - ${PAID} >= 0 end) then 'paid'
    when "invoices"."due_date" is not null and "invoices"."due_date" < $2::date then 'overdue'
    when ${PAID} <> 0 then 'partially_paid'
    else 'sent' end as "status" from "invoices" where ("invoices"."instance_id" = $1 and "invoices"."issued_at" is not null)) "d"`;

/** $1 instance id, $2 today. */
export const INVOICES_COUNT = `select count(*) from ${DERIVED}`;
/** $1 instance id, $2 today, $3 limit, $4 offset. */
export const INVOICES_PAGE = `select "id", "instance_id", "kind", "invoice_number", "title", "invoice_date", "due_date", "created_at", "gross_cents", "paid_cents", "status" from ${DERIVED} order by "d"."invoice_date" desc nulls first, "d"."created_at" desc, "d"."id" desc limit $3 offset $4`;
/** $1 instance id, $2 today. */
export const INVOICES_STATS = `select "status", count(*), coalesce(sum("d"."gross_cents" - "d"."paid_cents"), 0) from ${DERIVED} group by "d"."status"`;

const INVOICE_COLUMNS = `"id", "instance_id", "kind", "invoice_number", "title", "invoice_date", "due_date", "payment_terms_days", "service_period_start", "service_period_end", "recipient", "notes", "reverse_charge", "net_cents", "vat_cents", "gross_cents", "cancels_invoice_id", "issued_at", "cancelled_at", "cancellation_reason", "issuer", "pdf", "pdf_sha256", "created_by", "created_at", "updated_at"`;
/** $1 invoice id, $2 instance id. findVisibleRow (detail and PDF). */
export const INVOICE_VISIBLE = `select ${INVOICE_COLUMNS} from "invoices" where ("invoices"."id" = $1 and "invoices"."instance_id" = $2 and "invoices"."issued_at" is not null)`;
/** $1 invoice id. loadParts */
export const INVOICE_ITEMS = `select "id", "invoice_id", "position", "description", "quantity_milli", "unit", "unit_price_cents", "vat_rate", "net_cents" from "invoice_items" where "invoice_items"."invoice_id" = $1 order by "invoice_items"."position" asc`;
export const INVOICE_PAYMENTS = `select "id", "invoice_id", "payment_date", "amount_cents", "method", "reference", "created_by", "created_at" from "invoice_payments" where "invoice_payments"."invoice_id" = $1 order by "invoice_payments"."payment_date" asc, "invoice_payments"."id" asc`;
/** $1 invoice id (a credit note's own cancels_invoice_id adds `or id = $2`; bench invoices have none). */
export const INVOICE_RELATED = `select "id", "invoice_number", "cancels_invoice_id", "issued_at" from "invoices" where ("invoices"."cancels_invoice_id" = $1 or false)`;

/** $1 now, $2 session id: at most once a minute per session (findActiveSession). */
export const SESSION_TOUCH = `update "sessions" set "last_used_at" = $1 where "sessions"."id" = $2`;
