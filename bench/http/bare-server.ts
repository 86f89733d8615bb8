/**
 * The baseline of the HTTP benchmark: `node:http` + postgres.js, no Next.js, no ORM.
 * It answers the benchmarked /api/manage endpoints by sending the portal's SQL
 * (bench/http/queries.ts, one place) and shaping the JSON with the portal's pure
 * presenters and label tables, so both servers answer byte-identical bodies.
 * Bearer sessions only (the manage API's own clients); API v1 is not mirrored.
 *
 *   tsx bench/http/bare-server.ts [--port 3901]          serve (BENCH_DATABASE_URL)
 *   tsx bench/http/bare-server.ts --verify <portal-url>  compare each endpoint with a running portal
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import postgres from "postgres";
import { hashToken } from "@/lib/crypto/tokens";
import { paginationMeta } from "@/lib/activity";
import { ACTIVITY_KIND_KEYS, actionLabel } from "@/lib/activity/actions";
import { todayIsoDate, type InvoiceStatus } from "@/lib/invoices/calc";
import { presentDetail, presentListRow, type ListRow } from "@/lib/invoices/present";
import { pdfFilename } from "@/lib/invoices/pdf-filename";
import { INSTANCE_STATUS_LABELS, presentInstance } from "@/lib/instances/present";
import { verifyJwt } from "@/lib/auth/jwt";
import { rateLimitMessage } from "@/lib/errors";
import { BILLING_STATUS_LABELS } from "@/lib/status";
import { HEALTH_LABELS, SERVER_STATUS_LABELS } from "@/lib/servers/labels";
import { centsToNumber, formatEuro } from "@/lib/money";
import { apiTimestamp } from "@/lib/time";
import { instanceTierPriceOn, upcomingLabel } from "@/lib/billing/tier-prices";
import { BENCH_KIND } from "./plans";
import * as q from "./queries";
import { benchDatabaseUrl } from "./seed-scale";

type Sql = postgres.Sql;
type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const OPEN_STATUSES: InvoiceStatus[] = ["sent", "partially_paid", "overdue"];
const APP_VERSION = process.env.APP_VERSION ?? "1.2.3";
const PORTAL_VERSION = process.env.PORTAL_VERSION ?? "1.0.0";

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}

/** postgres.js as drizzle configures it: dates stay strings, int8 becomes a number where drizzle maps it. */
export function bareClient(url = benchDatabaseUrl(), max = 10): Sql {
  return postgres(url, {
    max,
    onnotice: () => {},
    connection: { jit: "off" },
    types: { date: { to: 1082, from: [1082], serialize: (v: string) => v, parse: (v: string) => v } } as never,
  });
}

/** Session, user, roles, instance, tier and domains in one query (as lib/auth/principal.ts loadSessionPrincipal). */
async function authenticate(sql: Sql, req: IncomingMessage) {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  if (header && !match) throw new HttpError(401, "Ungültiger Authorization-Header (erwartet: Bearer <token>).");
  if (!match) throw new HttpError(401, "Nicht angemeldet oder Sitzung abgelaufen.");
  const [row] = await sql.unsafe(q.SESSION_PRINCIPAL, ["portal", "meshcentral", hashToken(match[1]!), 1]).values();
  if (!row || !row[6]) throw new HttpError(401, "Nicht angemeldet oder Sitzung abgelaufen.");
  const session = { id: row[0] as string, lastUsedAt: row[1] as Date };
  const user = { id: row[2] as string, instanceId: row[5] as number | null };
  if (Date.now() - session.lastUsedAt.getTime() > 60_000) {
    await sql.unsafe(q.SESSION_TOUCH, [new Date(), session.id]);
  }
  const roles = row[7] as { permissions: string[] }[];
  const permissions = new Set(roles.flatMap((r) => r.permissions));
  if (user.instanceId === null) throw new HttpError(403, "Diesem Konto ist keine Instanz zugeordnet.");
  const i = 8;
  const instance = {
    id: row[i], name: row[i + 2], companyName: row[i + 3], status: row[i + 4], portalDomain: row[i + 6], meshcentralDomain: row[i + 7],
    suspended: row[i + 8], suspendedReason: row[i + 9], maxCustomers: row[i + 11], maxDevices: row[i + 12], appVersion: row[i + 13], portalVersion: row[i + 14],
  };
  const t = 25;
  const tier = { key: row[t], label: row[t + 1], monthlyPriceCents: row[t + 2], maxCustomers: row[t + 3], maxDevices: row[t + 4] };
  const ctx = { instance, tier, customPortalDomain: (row[31] as string | null) ?? null, customMeshcentralDomain: (row[32] as string | null) ?? null };
  return { user, permissions, ctx };
}

type Ctx = Awaited<ReturnType<typeof authenticate>>["ctx"];

async function status(sql: Sql, ctx: Ctx) {
  const { instance, tier } = ctx;
  const [[server], [bill], changes] = await Promise.all([
    sql.unsafe(q.STATUS_SERVER, [instance.id]),
    sql.unsafe(q.STATUS_BILLING, [instance.id]),
    sql.unsafe(q.STATUS_TIER_PRICE_CHANGES, [tier.key]),
  ]);
  const price = instanceTierPriceOn(
    tier.monthlyPriceCents,
    changes.map((c) => ({ effectiveFrom: c.effective_from as string, monthlyPriceCents: c.monthly_price_cents as number })),
    bill?.monthly_price_cents,
    todayIsoDate(),
  );
  const state = instance.suspended ? "suspended" : instance.status;
  const serverStatus = server?.hetzner_server_id ? server.status : "none";
  return {
    instance: {
      id: instance.id, name: instance.name, company_name: instance.companyName, status: state,
      status_label: INSTANCE_STATUS_LABELS[state] ?? state, suspended: instance.suspended,
      suspended_reason: instance.suspended ? instance.suspendedReason : null,
    },
    server: {
      status: serverStatus, status_label: SERVER_STATUS_LABELS[serverStatus] ?? serverStatus,
      health_status: server?.health_status ?? "unknown", health_status_label: HEALTH_LABELS[server?.health_status ?? "unknown"],
      ipv4: server?.ipv4 ?? null, server_type: server?.server_type ?? null, datacenter: server?.datacenter ?? null,
      last_synced_at: apiTimestamp(server?.last_synced_at),
    },
    billing: {
      status: bill?.status ?? "trial", status_label: BILLING_STATUS_LABELS[bill?.status ?? "trial"],
      pricing_tier: tier.key, pricing_tier_label: tier.label,
      monthly_price: formatEuro(price.currentCents),
      upcoming_price_change: price.upcoming
        ? { effective_from: price.upcoming.effectiveFrom, monthly_price: formatEuro(price.upcoming.monthlyPriceCents), label: upcomingLabel(price.upcoming) }
        : null,
      trial_ends_at: bill?.trial_ends_at ?? null, paid_until: bill?.paid_until ?? null,
    },
    domains: {
      portal_domain: instance.portalDomain, custom_portal_domain: ctx.customPortalDomain,
      portal_url: `https://${ctx.customPortalDomain ?? instance.portalDomain}`,
      meshcentral_domain: instance.meshcentralDomain, custom_meshcentral_domain: ctx.customMeshcentralDomain,
      meshcentral_url: `https://${ctx.customMeshcentralDomain ?? instance.meshcentralDomain}`,
    },
    version: { app_version: instance.appVersion ?? APP_VERSION, portal_version: instance.portalVersion ?? PORTAL_VERSION },
    limits: { max_customers: instance.maxCustomers ?? tier.maxCustomers, max_devices: instance.maxDevices ?? tier.maxDevices },
    // lib/dunning/payment-info.ts: suspended instances only; the bench's acme is not suspended.
    payment: null,
  };
}

function pageParams(url: URL, defaultPerPage: number) {
  const page = Number(url.searchParams.get("page") ?? 1);
  const perPage = Number(url.searchParams.get("per_page") ?? defaultPerPage);
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
    throw new HttpError(422, "Ungültige Seitenangabe.");
  }
  return { page, perPage };
}

async function activity(sql: Sql, instanceId: number, url: URL) {
  const { page, perPage } = pageParams(url, 20);
  const kind = url.searchParams.get("kind") || null;
  if (kind !== null && !(ACTIVITY_KIND_KEYS as string[]).includes(kind)) throw new HttpError(422, "Unbekannte Art.");
  if (url.searchParams.get("from") || url.searchParams.get("to")) throw new HttpError(422, "Der Benchmark spiegelt keinen Zeitraum.");
  // As lib/activity/index.ts: count and page in parallel; a kind pages on its own numbers (kind_seq).
  const offset = (page - 1) * perPage;
  const [[{ coalesce: count }], rows] = await Promise.all(
    kind === null
      ? [sql.unsafe(q.ACTIVITY_COUNT, [instanceId, instanceId]), sql.unsafe(q.ACTIVITY_PAGE, [instanceId, perPage, offset])]
      : [sql.unsafe(q.ACTIVITY_KIND_COUNT, [instanceId, kind]), sql.unsafe(q.ACTIVITY_KIND_PAGE, [instanceId, kind, perPage, offset])],
  );
  const meta = paginationMeta(page, perPage, Number(count));
  return {
    logs: rows.map((r) => ({ id: r.id, action: r.action, description: r.description, level: r.level, actor: r.actor_name, actor_type: r.actor_type, action_label: actionLabel(r.action), created_at: apiTimestamp(r.created_at) })),
    meta: kind === null ? meta : { ...meta, total_capped: false },
  };
}

async function invoiceList(sql: Sql, instanceId: number, url: URL) {
  const { page, perPage } = pageParams(url, 15);
  const today = todayIsoDate();
  if (page !== 1) throw new HttpError(422, "Der Benchmark spiegelt nur Seite 1 der Rechnungsliste.");
  // As lib/invoices/queries.ts: count, page and statistics in parallel.
  const [[{ count }], rows, grouped] = await Promise.all([
    sql.unsafe(q.INVOICES_COUNT, [instanceId]),
    sql.unsafe(q.INVOICES_PAGE, [today, instanceId, perPage]),
    sql.unsafe(q.INVOICES_STATS, [today, instanceId]).values(),
  ]);
  const byStatus = new Map(grouped.map(([s, n, remaining]) => [s as InvoiceStatus, { n: Number(n), remaining: Number(remaining) }]));
  const countOf = (...statuses: InvoiceStatus[]) => statuses.reduce((sum, s) => sum + (byStatus.get(s)?.n ?? 0), 0);
  const openCents = OPEN_STATUSES.reduce((sum, s) => sum + (byStatus.get(s)?.remaining ?? 0), 0);
  const list: ListRow[] = rows.map((r) => ({
    id: r.id, instanceId: r.instance_id, kind: r.kind, invoiceNumber: r.invoice_number, title: r.title,
    invoiceDate: r.invoice_date, dueDate: r.due_date, grossCents: Number(r.gross_cents), paidCents: Number(r.paid_cents), status: r.status,
  }));
  return {
    invoices: list.map(presentListRow),
    stats: {
      open_count: countOf(...OPEN_STATUSES), paid_count: countOf("paid"), overdue_count: countOf("overdue"),
      open_amount: centsToNumber(openCents), open_amount_formatted: formatEuro(openCents),
    },
    meta: paginationMeta(page, perPage, Number(count)),
  };
}

function invoiceRow(r: Row) {
  return {
    id: r.id, instanceId: r.instance_id, kind: r.kind, invoiceNumber: r.invoice_number, title: r.title, invoiceDate: r.invoice_date,
    dueDate: r.due_date, paymentTermsDays: r.payment_terms_days, servicePeriodStart: r.service_period_start, servicePeriodEnd: r.service_period_end,
    recipient: r.recipient, notes: r.notes, reverseCharge: r.reverse_charge, netCents: Number(r.net_cents), vatCents: Number(r.vat_cents),
    grossCents: Number(r.gross_cents), cancelsInvoiceId: r.cancels_invoice_id, issuedAt: r.issued_at, cancelledAt: r.cancelled_at,
    cancellationReason: r.cancellation_reason, issuer: r.issuer, pdf: r.pdf as Buffer | null, pdfSha256: r.pdf_sha256, createdBy: r.created_by,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

async function visibleInvoice(sql: Sql, instanceId: number, rawId: string, withPdf = true) {
  if (!/^\d{1,9}$/.test(rawId) || Number(rawId) <= 0) throw new HttpError(404, "Rechnung nicht gefunden.");
  const [row] = await sql.unsafe(withPdf ? q.INVOICE_VISIBLE : q.INVOICE_VISIBLE_NO_PDF, [Number(rawId), instanceId]);
  if (!row) throw new HttpError(404, "Rechnung nicht gefunden.");
  return invoiceRow(row);
}

async function invoiceDetail(sql: Sql, instanceId: number, rawId: string) {
  const row = await visibleInvoice(sql, instanceId, rawId, false);
  // As lib/invoices/queries.ts detailParts: items, payments and related invoices in parallel.
  const [items, payments, related] = await Promise.all([
    sql.unsafe(q.INVOICE_ITEMS, [row.id]),
    sql.unsafe(q.INVOICE_PAYMENTS, [row.id]),
    sql.unsafe(q.INVOICE_RELATED, [row.id]),
  ]);
  const cancels = related.find((r) => r.id === row.cancelsInvoiceId);
  const creditNote = related.find((r) => r.cancels_invoice_id === row.id && r.issued_at !== null);
  const detail = presentDetail(row as never, {
    items: items.map((i) => ({
      id: i.id, invoiceId: i.invoice_id, position: i.position, description: i.description, quantityMilli: Number(i.quantity_milli),
      unit: i.unit, unitPriceCents: Number(i.unit_price_cents), vatRate: i.vat_rate, netCents: Number(i.net_cents),
    })),
    payments: payments.map((p) => ({
      id: p.id, invoiceId: p.invoice_id, paymentDate: p.payment_date, amountCents: Number(p.amount_cents), method: p.method,
      reference: p.reference, createdBy: p.created_by, createdAt: p.created_at,
    })),
    cancels: cancels ? { id: cancels.id, invoiceNumber: cancels.invoice_number } : null,
    creditNote: creditNote ? { id: creditNote.id, invoiceNumber: creditNote.invoice_number } : null,
  });
  return { invoice: detail };
}

const ROUTES: { pattern: RegExp; permission?: string; handle: (sql: Sql, ctx: Ctx, url: URL, m: RegExpExecArray) => Promise<unknown> }[] = [
  { pattern: /^\/api\/manage\/status$/, handle: (sql, ctx) => status(sql, ctx) },
  { pattern: /^\/api\/manage\/activity-log$/, permission: "activity.read", handle: (sql, ctx, url) => activity(sql, ctx.instance.id, url) },
  { pattern: /^\/api\/manage\/invoices$/, permission: "invoice.read", handle: (sql, ctx, url) => invoiceList(sql, ctx.instance.id, url) },
  { pattern: /^\/api\/manage\/invoices\/([^/]+)$/, permission: "invoice.read", handle: (sql, ctx, _url, m) => invoiceDetail(sql, ctx.instance.id, m[1]!) },
  {
    pattern: /^\/api\/manage\/invoices\/([^/]+)\/pdf$/,
    permission: "invoice.read",
    handle: async (sql, ctx, _url, m) => {
      const row = await visibleInvoice(sql, ctx.instance.id, m[1]!);
      if (!row.pdf || !row.invoiceNumber) throw new HttpError(404, "Für dieses PDF liegt im Benchmark kein Archiv vor.");
      return { pdf: row.pdf, filename: pdfFilename(row.invoiceNumber), sha256: row.pdfSha256 as string };
    },
  },
];

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** v1 errors as lib/v1/errors.ts: `{ detail: { error, message, … } }`. */
function sendV1Error(res: ServerResponse, status: number, error: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const body = JSON.stringify({ detail: { error, message, ...extra } });
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  res.end(body);
}

/**
 * GET /api/v1/auth/me as app/api/v1/auth/me/route.ts: the access token (same
 * keys, lib/auth/jwt.ts), the principal in one query, the 600/min limit, then
 * instance, tenant and 2FA state in parallel — the portal's SQL, one by one.
 */
async function v1Me(sql: Sql, req: IncomingMessage, res: ServerResponse) {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization?.trim() ?? "");
  if (!match) return sendV1Error(res, 401, "unauthorized", "Nicht angemeldet.", {}, { "www-authenticate": "Bearer" });
  let payload: Record<string, unknown>;
  try {
    payload = await verifyJwt(match[1]!, "access");
  } catch {
    return sendV1Error(res, 401, "unauthorized", "Der Token ist ungültig.", {}, { "www-authenticate": "Bearer" });
  }
  const userId = String(payload.sub);
  const familyId = String(payload.sid);
  const [user] = await sql.unsafe(q.V1_ACCESS_PRINCIPAL, [familyId, userId, userId, userId, 1]);
  if (!user?.exists) return sendV1Error(res, 401, "token_revoked", "Die Sitzung wurde beendet. Bitte neu anmelden.");
  const [limit] = await sql.unsafe(q.V1_RATE_LIMIT, [`v1:user:${userId}`, 1]);
  if (Number(limit!.count) > 600) {
    const retryAfter = Math.max(1, Number(limit!.ceil));
    return sendV1Error(res, 429, "rate_limited", rateLimitMessage(retryAfter), { retry_after: retryAfter }, { "retry-after": String(retryAfter) });
  }
  const assigned = user.coalesce as { key: string; label: string; staff: boolean; permissions: string[] }[];
  const instanceId = user.instance_id as number | null;
  const [instance, tenant, twoFactor] = await Promise.all([
    instanceId === null ? null : v1InstanceContext(sql, instanceId),
    instanceId === null ? null : sql.unsafe(q.V1_TENANT, [instanceId]).then(([row]) => (row?.uuid as string | undefined) ?? null),
    sql.unsafe(q.V1_TWO_FACTOR, [userId]).then(([row]) => Boolean(row?.two_factor_enabled)),
  ]);
  const staff = instanceId === null && assigned.some((r) => r.staff);
  send(res, 200, {
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      staff,
      roles: assigned.map((r) => ({ key: r.key, label: r.label })),
      permissions: [...new Set(assigned.flatMap((r) => r.permissions))].sort(),
    },
    instance: instance ? { ...presentInstance(instance as never), suspended: instance.instance.suspended, suspended_reason: instance.instance.suspended ? instance.instance.suspendedReason : null } : null,
    impersonation: null,
    tenant_id: tenant,
    tenant_scope: staff ? null : tenant,
    two_factor_enabled: twoFactor,
    auth: { via: "jwt", scope: "read_write" },
  });
}

async function v1InstanceContext(sql: Sql, instanceId: number) {
  const [row] = await sql.unsafe(q.V1_INSTANCE, [instanceId]).values();
  const domains = await sql.unsafe(q.V1_INSTANCE_DOMAINS, [instanceId, true]);
  const r = row!;
  return {
    instance: { id: r[0], name: r[2], companyName: r[3], status: r[4], portalDomain: r[6], meshcentralDomain: r[7], suspended: r[8] as boolean, suspendedReason: r[9] as string | null },
    tier: { key: r[17], label: r[18] },
    customPortalDomain: (domains.find((d) => d.kind === "portal")?.domain as string | undefined) ?? null,
    customMeshcentralDomain: (domains.find((d) => d.kind === "meshcentral")?.domain as string | undefined) ?? null,
  };
}

export function createBareServer(sql: Sql) {
  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      // Liveness as app/api/health: no database, no authentication (the bench's measure of the fixed cost per request).
      if (req.method === "GET" && url.pathname === "/api/health") {
        res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
        res.end(JSON.stringify({ status: "ok" }));
        return;
      }
      if (req.method === "GET" && url.pathname === "/api/v1/auth/me") return await v1Me(sql, req, res);
      const route = req.method === "GET" ? ROUTES.find((r) => r.pattern.test(url.pathname)) : undefined;
      if (!route) throw new HttpError(404, "Nicht gefunden.");
      const auth = await authenticate(sql, req);
      const ctx = auth.ctx;
      if (ctx.instance.suspended && route.pattern.source !== "^\\/api\\/manage\\/status$") {
        throw new HttpError(403, `Ihre Instanz ist gesperrt${ctx.instance.suspendedReason ? `: ${ctx.instance.suspendedReason}` : ""}. Bitte wenden Sie sich an den Support.`, { suspended: true });
      }
      if (route.permission && !auth.permissions.has(route.permission)) {
        throw new HttpError(403, "Dafür fehlt Ihnen die Berechtigung.", { missing: route.permission });
      }
      const result = await route.handle(sql, ctx, url, route.pattern.exec(url.pathname)!);
      if (result && typeof result === "object" && "pdf" in result && Buffer.isBuffer(result.pdf)) {
        const { pdf, filename, sha256 } = result as { pdf: Buffer; filename: string; sha256: string };
        res.writeHead(200, {
          "content-type": "application/pdf",
          "content-length": pdf.length,
          "content-disposition": `attachment; filename="${filename}"`,
          etag: `"${sha256}"`,
          "cache-control": "private, max-age=31536000, immutable",
          "x-content-type-options": "nosniff",
        });
        res.end(pdf);
        return;
      }
      send(res, 200, result);
    } catch (error) {
      if (error instanceof HttpError) send(res, error.status, { message: error.message, ...error.extra });
      else {
        console.error(error);
        send(res, 500, { message: "Interner Fehler. Bitte später erneut versuchen." });
      }
    }
  });
}

/** GETs every path from both servers and compares status and body bytes. */
export async function verify(portalUrl: string, bareUrl: string, token: string, paths: string[]) {
  const results: { path: string; identical: boolean; detail: string }[] = [];
  for (const path of paths) {
    const [a, b] = await Promise.all(
      [portalUrl, bareUrl].map(async (base) => {
        const res = await fetch(new URL(path, base), { headers: { authorization: `Bearer ${token}` } });
        return { status: res.status, type: res.headers.get("content-type"), body: Buffer.from(await res.arrayBuffer()) };
      }),
    );
    const identical = a!.status === b!.status && a!.body.equals(b!.body);
    let detail = `${a!.status} ${a!.body.length} B`;
    if (!identical) {
      const at = [...a!.body].findIndex((byte, i) => byte !== b!.body[i]);
      detail = `Portal ${a!.status} ${a!.body.length} B, Bare ${b!.status} ${b!.body.length} B; erster Unterschied bei Byte ${at}: ` +
        `…${a!.body.subarray(Math.max(0, at - 40), at + 60).toString()}… ≠ …${b!.body.subarray(Math.max(0, at - 40), at + 60).toString()}…`;
    }
    results.push({ path, identical, detail });
  }
  return results;
}

/** The benchmarked paths for the demo customer (the PDF and detail of its newest bench invoice). */
export async function benchPaths(sql: Sql) {
  const [row] = await sql`select max(inv.id) as id from invoices inv join instances i on i.id = inv.instance_id where i.name = 'acme' and inv.issued_at is not null and inv.pdf is not null`;
  const invoiceId = Number(row!.id);
  // The deepest page of the customer's log (20 a page): the one an OFFSET would skip the most for.
  const [log] = await sql`select coalesce(c.n, 0) as n from instances i left join activity_counts c on c.instance_id = i.id where i.name = 'acme'`;
  const lastActivityPage = Math.max(1, Math.ceil(Number(log!.n) / 20));
  // The same for the entries of one kind (kind filter of the activity page, migration 0027).
  const [ofKind] = await sql`select coalesce(c.n, 0) as n from instances i left join activity_kind_counts c on c.instance_id = i.id and c.kind = ${BENCH_KIND} where i.name = 'acme'`;
  const lastKindPage = Math.max(1, Math.ceil(Number(ofKind!.n) / 20));
  return {
    invoiceId,
    lastActivityPage,
    lastKindPage,
    paths: [
      "/api/manage/status",
      "/api/manage/activity-log",
      `/api/manage/activity-log?page=${lastActivityPage}`,
      `/api/manage/activity-log?kind=${BENCH_KIND}&page=${lastKindPage}`,
      "/api/manage/invoices",
      `/api/manage/invoices/${invoiceId}`,
      `/api/manage/invoices/${invoiceId}/pdf`,
    ],
  };
}

export async function manageLogin(baseUrl: string) {
  const res = await fetch(new URL("/api/manage/auth/login", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "admin@firma.de", password: "demo-passwort" }),
  });
  if (res.status !== 200) throw new Error(`Login am Portal fehlgeschlagen: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

async function main() {
  const args = process.argv.slice(2);
  const port = Number(args[args.indexOf("--port") + 1] || 3901) || 3901;
  const sql = bareClient();
  const server = createBareServer(sql);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  console.log(`Bare-Server: http://127.0.0.1:${port}`);
  const verifyAt = args.indexOf("--verify");
  if (verifyAt >= 0) {
    const portal = args[verifyAt + 1] ?? "http://127.0.0.1:3900";
    const token = await manageLogin(portal);
    const { paths } = await benchPaths(sql);
    const results = await verify(portal, `http://127.0.0.1:${port}`, token, paths);
    for (const r of results) console.log(`${r.identical ? "gleich   " : "ABWEICHUNG"} ${r.path}: ${r.detail}`);
    server.close();
    await sql.end({ timeout: 5 });
    process.exit(results.every((r) => r.identical) ? 0 : 1);
  }
}

if (process.argv[1]?.endsWith("bare-server.ts")) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
