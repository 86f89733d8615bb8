/**
 * The SQL the portal sends for the benchmarked endpoints, in one place: the bare
 * baseline server (bare-server.ts) sends exactly these statements, the plan test
 * (tests/bench/plans.test.ts) EXPLAINs them. Written as drizzle renders the services'
 * queries (lib/auth/principal.ts, lib/instances/present.ts,
 * lib/status.ts, lib/activity/index.ts, lib/invoices/{queries,status-sql,rows}.ts); after a change there,
 * `tsx bench/http/capture-sql.ts` prints the portal's current statements to compare.
 */

const INSTANCE_COLUMNS = `"instances"."id", "instances"."uuid", "instances"."name", "instances"."company_name", "instances"."status", "instances"."pricing_tier", "instances"."portal_domain", "instances"."meshcentral_domain", "instances"."suspended", "instances"."suspended_reason", "instances"."suspended_at", "instances"."max_customers", "instances"."max_devices", "instances"."app_version", "instances"."portal_version", "instances"."created_at", "instances"."updated_at"`;
const TIER_COLUMNS = `"pricing_tiers"."key", "pricing_tiers"."label", "pricing_tiers"."monthly_price_cents", "pricing_tiers"."max_customers", "pricing_tiers"."max_devices", "pricing_tiers"."sort_order"`;
const ROLES_JSON = `coalesce((select json_agg(json_build_object('key', r.key, 'label', r.label, 'staff', r.staff, 'permissions', r.permissions) order by r.key)
    from "user_roles" ur join "roles" r on r.key = ur.role_key where ur.user_id = "users"."id"), '[]'::json)`;
const DOMAIN = (n: number) => `(select cd.domain from "custom_domains" cd where cd.instance_id = "instances"."id" and cd.kind = $${n} and cd.applied = true limit 1)`;

/**
 * $1 'portal', $2 'meshcentral', $3 token hash, $4 1. lib/auth/principal.ts loadSessionPrincipal:
 * session ⨝ user ⨝ roles ⨝ instance ⨝ tier ⨝ applied domains in one query. Row layout: 0 session id,
 * 1 last_used_at, 2–6 user (id, email, name, instance_id, active), 7 roles (json), 8–24 instance, 25–30 tier, 31–32 domains.
 */
export const SESSION_PRINCIPAL = `select "sessions"."id", "sessions"."last_used_at", "users"."id", "users"."email", "users"."name", "users"."instance_id", "users"."active", ${ROLES_JSON}, ${INSTANCE_COLUMNS}, ${TIER_COLUMNS}, ${DOMAIN(1)}, ${DOMAIN(2)} from "sessions" inner join "users" on "users"."id" = "sessions"."user_id" left join "instances" on "instances"."id" = "users"."instance_id" left join "pricing_tiers" on "pricing_tiers"."key" = "instances"."pricing_tier" where ("sessions"."token_hash" = $3 and "sessions"."revoked_at" is null and "sessions"."expires_at" > now()) limit $4`;

/** $1 user id. lib/auth/principal.ts loadPrincipal (API v1: after the JWT / PAT check). */
export const PRINCIPAL_ROLES = `select "roles"."key", "roles"."label", "roles"."staff", "roles"."permissions" from "user_roles" inner join "roles" on "roles"."key" = "user_roles"."role_key" where "user_roles"."user_id" = $1`;

/** $1 instance id. lib/instances/present.ts loadInstanceContext (staff's customer view, API v1 /auth/me). */
export const INSTANCE_CONTEXT = `select ${INSTANCE_COLUMNS}, ${TIER_COLUMNS} from "instances" inner join "pricing_tiers" on "pricing_tiers"."key" = "instances"."pricing_tier" where "instances"."id" = $1`;

/** $1 instance id. lib/status.ts instanceStatus */
export const STATUS_SERVER = `select "instance_id", "hetzner_server_id", "name", "ipv4", "server_type", "datacenter", "status", "health_status", "last_synced_at", "updated_at" from "servers" where "servers"."instance_id" = $1`;
/** $1 tier key. lib/status.ts: the tier's scheduled prices (lib/billing/tier-prices.ts). */
export const STATUS_TIER_PRICE_CHANGES = `select "effective_from", "monthly_price_cents" from "tier_price_changes" where "tier_price_changes"."tier_key" = $1 order by "tier_price_changes"."effective_from" asc`;
export const STATUS_BILLING = `select "instance_id", "status", "monthly_price_cents", "trial_ends_at", "paid_until", "updated_at" from "billing" where "billing"."instance_id" = $1`;

// lib/activity/index.ts listActivity without filters: lo/hi are the instance's first and last `seq`
// (migration 0019), found on the index (instance_id, created_at, seq); page N is a range of seq.
const activityBound = (param: string, end: "lo" | "hi") =>
  end === "lo"
    ? `(select b."seq" from "activity_log" b where b."instance_id" = ${param} and b."created_at" >= '-infinity'::timestamptz order by b."created_at", b."seq" limit 1)`
    : `(select b."seq" from "activity_log" b where b."instance_id" = ${param} and b."created_at" < 'infinity'::timestamptz order by b."created_at" desc, b."seq" desc limit 1)`;
/** $1 instance id, $2 instance id: the length of the run lo..hi. */
export const ACTIVITY_COUNT = `select coalesce(${activityBound("$2", "hi")} - ${activityBound("$1", "lo")} + 1, 0) as "coalesce"`;
/** $1 instance id, $2 limit, $3 offset: the range hi - offset downwards on (instance_id, seq). */
export const ACTIVITY_PAGE = `select "id", "action", "description", "level", "actor_name", "actor_type", "created_at" from "activity_log" where ("activity_log"."instance_id" = $1 and "activity_log"."seq" >= ${activityBound("$1", "lo")} and "activity_log"."seq" <= ${activityBound("$1", "hi")} - $3::bigint) order by "activity_log"."seq" desc limit $2`;

// The same with a kind filter (migration 0027): lo/hi are the kind's first and last `kind_seq`,
// found on the index (instance_id, kind, created_at, kind_seq); page N is a range on (instance_id, kind, kind_seq).
const activityKindBound = (instance: string, kind: string, end: "lo" | "hi") =>
  end === "lo"
    ? `(select b."kind_seq" from "activity_log" b where b."instance_id" = ${instance} and b."kind" = ${kind} and b."created_at" >= '-infinity'::timestamptz order by b."created_at", b."kind_seq" limit 1)`
    : `(select b."kind_seq" from "activity_log" b where b."instance_id" = ${instance} and b."kind" = ${kind} and b."created_at" < 'infinity'::timestamptz order by b."created_at" desc, b."kind_seq" desc limit 1)`;
/** $1 instance id, $2 kind: the length of the kind's run lo..hi. */
export const ACTIVITY_KIND_COUNT = `select coalesce(${activityKindBound("$1", "$2", "hi")} - ${activityKindBound("$1", "$2", "lo")} + 1, 0) as "coalesce"`;
/** $1 instance id, $2 kind, $3 limit, $4 offset: the range hi - offset downwards on (instance_id, kind, kind_seq). */
export const ACTIVITY_KIND_PAGE = `select "id", "action", "description", "level", "actor_name", "actor_type", "created_at" from "activity_log" where ("activity_log"."instance_id" = $1 and "activity_log"."kind" = $2 and "activity_log"."kind_seq" >= ${activityKindBound("$1", "$2", "lo")} and "activity_log"."kind_seq" <= ${activityKindBound("$1", "$2", "hi")} - $4::bigint) order by "activity_log"."kind_seq" desc limit $3`;

// lib/invoices/status-sql.ts: the derived-status subquery "d" over the instance's issued invoices,
// the paid amount computed once per invoice by a lateral aggregate.
/** $1 today (YYYY-MM-DD), $2 instance id. */
const DERIVED = `(select "invoices"."id", "invoices"."instance_id", "invoices"."kind", "invoices"."invoice_number", "invoices"."title", "invoices"."invoice_date", "invoices"."due_date", "invoices"."created_at", "invoices"."gross_cents", "paid_cents" as "paid_cents", case
    when "invoices"."cancelled_at" is not null then 'cancelled'
    when "invoices"."issued_at" is null then 'draft'
    when (case when "invoices"."gross_cents" >= 0 then "invoices"."gross_cents" - "paid_cents" <= 0
               else "invoices"."gross_cents" - "paid_cents" >= 0 end) then 'paid'
    when "invoices"."due_date" is not null and "invoices"."due_date" < $1::date then 'overdue'
    when "paid_cents" <> 0 then 'partially_paid'
    else 'sent' end as "status" from "invoices" left join lateral (select coalesce(sum("amount_cents"), 0) as "paid_cents" from "invoice_payments" where "invoice_payments"."invoice_id" = "invoices"."id") "paid" on true where ("invoices"."instance_id" = $2 and "invoices"."issued_at" is not null)) "d"`;

/** $1 instance id: without a status filter the count reads the invoices alone (index-only on invoices_issued_list_idx). */
export const INVOICES_COUNT = `select count(*) from "invoices" where ("invoices"."instance_id" = $1 and "invoices"."issued_at" is not null)`;
/** $1 today, $2 instance id, $3 limit (page 1: drizzle renders no offset). */
export const INVOICES_PAGE = `select "id", "instance_id", "kind", "invoice_number", "title", "invoice_date", "due_date", "created_at", "gross_cents", "paid_cents", "status" from ${DERIVED} order by "d"."invoice_date" desc nulls first, "d"."created_at" desc, "d"."id" desc limit $3`;
/** $1 today, $2 instance id. */
export const INVOICES_STATS = `select "status", count(*), coalesce(sum("gross_cents" - "paid_cents"), 0) from ${DERIVED} group by "status"`;

const INVOICE_HEAD = `"id", "instance_id", "kind", "invoice_number", "title", "invoice_date", "due_date", "payment_terms_days", "service_period_start", "service_period_end", "recipient", "notes", "reverse_charge", "net_cents", "vat_cents", "gross_cents", "cancels_invoice_id", "issued_at", "cancelled_at", "cancellation_reason", "issuer"`;
const INVOICE_TAIL = `"pdf_sha256", "created_by", "created_at", "updated_at"`;
const VISIBLE = `from "invoices" where ("invoices"."id" = $1 and "invoices"."instance_id" = $2 and "invoices"."issued_at" is not null)`;
/** $1 invoice id, $2 instance id. lib/invoices/rows.ts findVisibleRow for the PDF (with the bytes). */
export const INVOICE_VISIBLE = `select ${INVOICE_HEAD}, "pdf", ${INVOICE_TAIL} ${VISIBLE}`;
/** $1 invoice id, $2 instance id. findVisibleRow({ withPdf: false }) for the detail (the bytes stay unread). */
export const INVOICE_VISIBLE_NO_PDF = `select ${INVOICE_HEAD}, ${INVOICE_TAIL} ${VISIBLE}`;
/** $1 invoice id. loadParts */
export const INVOICE_ITEMS = `select "id", "invoice_id", "position", "description", "quantity_milli", "unit", "unit_price_cents", "vat_rate", "net_cents" from "invoice_items" where "invoice_items"."invoice_id" = $1 order by "invoice_items"."position" asc`;
export const INVOICE_PAYMENTS = `select "id", "invoice_id", "payment_date", "amount_cents", "method", "reference", "created_by", "created_at" from "invoice_payments" where "invoice_payments"."invoice_id" = $1 order by "invoice_payments"."payment_date" asc, "invoice_payments"."id" asc`;
/** $1 invoice id (a credit note's own cancels_invoice_id adds `or id = $2`; bench invoices have none). */
export const INVOICE_RELATED = `select "id", "invoice_number", "cancels_invoice_id", "issued_at" from "invoices" where ("invoices"."cancels_invoice_id" = $1 or false)`;

/** $1 now, $2 session id: at most once a minute per session (findActiveSession). */
export const SESSION_TOUCH = `update "sessions" set "last_used_at" = $1 where "sessions"."id" = $2`;

/** $1 family id, $2–$4 user id, $5 limit. lib/auth/token-families.ts accessPrincipalQuery (every API v1 request). */
export const V1_ACCESS_PRINCIPAL = `select "id", "instance_id", "email", "name", "password_hash", "active", "two_factor_enabled", "last_login_at", "created_at", "updated_at", exists (select 1 from "token_families" f where f.id = $1::uuid
          and f.user_id = $2::uuid and f.revoked_at is null and f.expires_at > now()), coalesce((select json_agg(json_build_object('key', r.key, 'label', r.label, 'staff', r.staff, 'permissions', r.permissions) order by r.key)
    from "user_roles" ur join "roles" r on r.key = ur.role_key where ur.user_id = $3::uuid), '[]'::json) from "users" where "users"."id" = $4 limit $5`;

/** $1 key, $2 initial count. lib/rate-limit.ts consumeRateLimit (the v1 limit, 60 s window). */
export const V1_RATE_LIMIT = `insert into "rate_limits" ("key", "window_start", "count") values ($1, now(), $2) on conflict ("key") do update set "window_start" = CASE WHEN "rate_limits"."window_start" <= now() - interval '60 seconds' THEN now() ELSE "rate_limits"."window_start" END, "count" = CASE WHEN "rate_limits"."window_start" <= now() - interval '60 seconds' THEN 1 ELSE "rate_limits"."count" + 1 END returning "count", ceil(extract(epoch from ("window_start" + interval '60 seconds' - now())))::int`;

/** $1 instance id. lib/instances/present.ts loadInstanceContext (instance ⨝ tier, then applied domains). */
export const V1_INSTANCE = `select "instances"."id", "instances"."uuid", "instances"."name", "instances"."company_name", "instances"."status", "instances"."pricing_tier", "instances"."portal_domain", "instances"."meshcentral_domain", "instances"."suspended", "instances"."suspended_reason", "instances"."suspended_at", "instances"."max_customers", "instances"."max_devices", "instances"."app_version", "instances"."portal_version", "instances"."created_at", "instances"."updated_at", "pricing_tiers"."key", "pricing_tiers"."label", "pricing_tiers"."monthly_price_cents", "pricing_tiers"."max_customers", "pricing_tiers"."max_devices", "pricing_tiers"."sort_order" from "instances" inner join "pricing_tiers" on "pricing_tiers"."key" = "instances"."pricing_tier" where "instances"."id" = $1`;
export const V1_INSTANCE_DOMAINS = `select "kind", "domain" from "custom_domains" where ("custom_domains"."instance_id" = $1 and "custom_domains"."applied" = $2)`;
/** $1 instance id. lib/auth/token-families.ts tenantClaims. */
export const V1_TENANT = `select "uuid" from "instances" where "instances"."id" = $1`;
/** $1 user id. lib/auth/two-factor.ts twoFactorStatus. */
export const V1_TWO_FACTOR = `select "two_factor_enabled", "email" from "users" where "users"."id" = $1`;
