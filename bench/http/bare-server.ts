/**
 * The baseline of the HTTP benchmark: `node:http` + postgres.js, no Next.js, no ORM
 * at request time. It answers the benchmarked endpoints by sending the portal's own
 * statements — rendered once at start from the query builders the services run
 * (bench/http/statements.ts), the same ones per route — and shaping the JSON with
 * the portal's pure presenters and label tables, so both servers answer
 * byte-identical bodies. Manage API with bearer sessions, and GET /api/v1/auth/me.
 *
 *   tsx bench/http/bare-server.ts [--port 3901]          serve (BENCH_DATABASE_URL)
 *   tsx bench/http/bare-server.ts --verify <portal-url>  compare each endpoint with a running portal
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import postgres from "postgres";
import { hashToken } from "@/lib/crypto/tokens";
import { paginationMeta } from "@/lib/activity";
import { ACTIVITY_KIND_KEYS, actionLabel } from "@/lib/activity/actions";
import type { AssignedRole } from "@/lib/auth/principal";
import { verifyJwt } from "@/lib/auth/jwt";
import { billingToday } from "@/lib/billing/clock";
import { instanceTierPriceOn, upcomingLabel } from "@/lib/billing/tier-prices";
import { V1_RATE_LIMITS } from "@/lib/doors/v1/rate-limits";
import { secondsUntilWindowEnds } from "@/lib/rate-limit";
import { suspendedMessage } from "@/lib/doors/kit/suspended";
import { rateLimitMessage } from "@/lib/errors";
import { isUuid } from "@/lib/http/params";
import { INSTANCE_STATUS_LABELS, presentInstance, type InstanceContext } from "@/lib/instances/present";
import { presentUsage } from "@/lib/instances/usage";
import type { InvoiceStatus } from "@/lib/invoices/calc";
import { pdfFilename } from "@/lib/invoices/pdf-filename";
import { presentDetail, presentListRow } from "@/lib/invoices/present";
import { OPEN_STATUSES } from "@/lib/invoices/status-sql";
import { centsToNumber, formatEuro } from "@/lib/money";
import { noticeOf } from "@/lib/sepa/prenotification";
import { HEALTH_LABELS, SERVER_STATUS_LABELS } from "@/lib/servers/labels";
import { BILLING_STATUS_LABELS } from "@/lib/status";
import { apiTimestamp, todayIsoDate } from "@/lib/time";
import { BENCH_KIND } from "./plans";
import { benchDatabaseUrl } from "./seed-scale";
import { bareStatements, postgresSend, shape, type BareStatements, type Row, type Send, type Statement } from "./statements";

type Sql = postgres.Sql;

const APP_VERSION = process.env.APP_VERSION ?? "1.2.3";
const PORTAL_VERSION = process.env.PORTAL_VERSION ?? "1.0.0";

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}

/**
 * postgres.js as the portal's values arrive: dates stay strings, int8 becomes a
 * number (drizzle's bigint `mode: "number"`), timestamps become Dates.
 */
export function bareClient(url = benchDatabaseUrl(), max = 10): Sql {
  return postgres(url, {
    max,
    onnotice: () => {},
    connection: { jit: "off" },
    types: {
      date: { to: 1082, from: [1082], serialize: (v: string) => v, parse: (v: string) => v },
      int8: { to: 20, from: [20], serialize: (v: number) => String(v), parse: (v: string) => Number(v) },
    } as never,
  });
}

/** The bare server's database: how it sends, and what (the rendered statements). */
export type Bare = { send: Send; q: BareStatements };

async function all(b: Bare, statement: Statement, values?: Record<string, unknown>): Promise<Row[]> {
  const rows = await b.send(statement, statement.params(values));
  return rows.map((r) => shape(statement.columns, r));
}

/** As lib/auth/principal.ts loadSessionPrincipal and the manage door's instanceRoute. */
async function authenticate(b: Bare, req: IncomingMessage) {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  if (header && !match) throw new HttpError(401, "Ungültiger Authorization-Header (erwartet: Bearer <token>).");
  if (!match) throw new HttpError(401, "Nicht angemeldet oder Sitzung abgelaufen.");
  const [row] = await all(b, b.q.sessionPrincipal, { tokenHash: hashToken(match[1]!) });
  if (!row || !row.user.active) throw new HttpError(401, "Nicht angemeldet oder Sitzung abgelaufen.");
  if (Date.now() - (row.lastUsedAt as Date).getTime() > 60_000) await all(b, b.q.sessionTouch, { sessionId: row.sessionId, at: new Date() });
  const roles = (typeof row.roles === "string" ? JSON.parse(row.roles) : row.roles) as AssignedRole[];
  const permissions = new Set(roles.flatMap((r) => r.permissions));
  // Staff (the customer view) and a required second factor cost the portal more statements; the bench's customer needs neither.
  if (row.user.instanceId === null) throw new HttpError(403, "Diesem Konto ist keine Instanz zugeordnet.");
  if (row.instance.requireTwoFactor) throw new HttpError(501, "Der Benchmark spiegelt keine Zwei-Faktor-Pflicht.");
  const ctx: InstanceContext = { instance: row.instance, tier: row.tier, customPortalDomain: row.customPortalDomain, customMeshcentralDomain: row.customMeshcentralDomain };
  return { permissions, ctx };
}

/** As lib/status.ts instanceStatus: server, billing, the tier's prices and the usage in parallel. */
async function status(b: Bare, ctx: InstanceContext) {
  const { instance, tier } = ctx;
  if (instance.suspended) throw new HttpError(501, "Der Benchmark spiegelt keine gesperrte Instanz.");
  const [[server], [bill], changes, [usage]] = await Promise.all([
    all(b, b.q.statusServer, { instanceId: instance.id }),
    all(b, b.q.statusBilling, { instanceId: instance.id }),
    all(b, b.q.statusTierPriceChanges, { tierKey: tier.key }),
    all(b, b.q.usage, { instanceId: instance.id }),
  ]);
  const limits = { max_customers: instance.maxCustomers ?? tier.maxCustomers, max_devices: instance.maxDevices ?? tier.maxDevices };
  const price = instanceTierPriceOn(tier.monthlyPriceCents, changes as never, bill?.monthlyPriceCents, billingToday());
  const state = instance.status;
  const serverStatus = server?.hetznerServerId ? server.status : "none";
  return {
    instance: {
      id: instance.id, name: instance.name, company_name: instance.companyName, status: state,
      status_label: INSTANCE_STATUS_LABELS[state] ?? state, suspended: instance.suspended, suspended_reason: null,
    },
    server: {
      status: serverStatus, status_label: SERVER_STATUS_LABELS[serverStatus] ?? serverStatus,
      health_status: server?.healthStatus ?? "unknown", health_status_label: HEALTH_LABELS[server?.healthStatus ?? "unknown"],
      ipv4: server?.ipv4 ?? null, server_type: server?.serverType ?? null, datacenter: server?.datacenter ?? null,
      last_synced_at: apiTimestamp(server?.lastSyncedAt),
    },
    billing: {
      status: bill?.status ?? "trial", status_label: BILLING_STATUS_LABELS[bill?.status ?? "trial"],
      pricing_tier: tier.key, pricing_tier_label: tier.label,
      monthly_price: formatEuro(price.currentCents),
      upcoming_price_change: price.upcoming
        ? { effective_from: price.upcoming.effectiveFrom, monthly_price: formatEuro(price.upcoming.monthlyPriceCents), label: upcomingLabel(price.upcoming) }
        : null,
      trial_ends_at: bill?.trialEndsAt ?? null, paid_until: bill?.paidUntil ?? null,
    },
    domains: {
      portal_domain: instance.portalDomain, custom_portal_domain: ctx.customPortalDomain,
      portal_url: `https://${ctx.customPortalDomain ?? instance.portalDomain}`,
      meshcentral_domain: instance.meshcentralDomain, custom_meshcentral_domain: ctx.customMeshcentralDomain,
      meshcentral_url: `https://${ctx.customMeshcentralDomain ?? instance.meshcentralDomain}`,
    },
    version: { app_version: instance.appVersion ?? APP_VERSION, portal_version: instance.portalVersion ?? PORTAL_VERSION },
    limits,
    usage: presentUsage(usage as never, limits),
    // lib/dunning/payment-info.ts: suspended instances only (refused above).
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

/** As lib/activity listActivity: total and page in parallel; a kind pages on its own numbers (kind_seq). */
async function activity(b: Bare, instanceId: number, url: URL) {
  const { page, perPage } = pageParams(url, 20);
  const kind = url.searchParams.get("kind") || null;
  if (kind !== null && !(ACTIVITY_KIND_KEYS as string[]).includes(kind)) throw new HttpError(422, "Unbekannte Art.");
  if (url.searchParams.get("from") || url.searchParams.get("to")) throw new HttpError(501, "Der Benchmark spiegelt keinen Zeitraum.");
  const values = { instanceId, from: null, to: null, kind };
  const [[counted], rows] = await Promise.all([
    all(b, kind === null ? b.q.activityTotal : b.q.activityKindTotal, values),
    all(b, kind === null ? b.q.activityPage : b.q.activityKindPage, { ...values, limit: perPage, back: (page - 1) * perPage }),
  ]);
  const meta = paginationMeta(page, perPage, Number(counted?.total ?? 0));
  return {
    logs: rows.map((r) => ({ id: r.id, action: r.action, description: r.description, level: r.level, actor: r.actorName, actor_type: r.actorType, action_label: actionLabel(r.action), created_at: apiTimestamp(r.createdAt) })),
    meta: kind === null ? meta : { ...meta, total_capped: false },
  };
}

/** As lib/invoices/queries.ts listInvoices in its default view: count, page and statistics in parallel. */
async function invoiceList(b: Bare, instanceId: number, url: URL) {
  const { page, perPage } = pageParams(url, 15);
  if (["status", "search", "year", "sort", "dir"].some((key) => url.searchParams.get(key))) throw new HttpError(501, "Der Benchmark spiegelt nur die ungefilterte Rechnungsliste.");
  const today = todayIsoDate();
  const [[counted], rows, grouped] = await Promise.all([
    all(b, b.q.invoiceCount, { instanceId }),
    all(b, b.q.invoicePage, { instanceId, today, limit: perPage, offset: (page - 1) * perPage }),
    all(b, b.q.invoiceStats, { instanceId, today }),
  ]);
  const byStatus = new Map(grouped.map((g) => [g.status as InvoiceStatus, { n: Number(g.n), remaining: Number(g.remaining) }]));
  const countOf = (...statuses: InvoiceStatus[]) => statuses.reduce((sum, s) => sum + (byStatus.get(s)?.n ?? 0), 0);
  const openCents = OPEN_STATUSES.reduce((sum, s) => sum + (byStatus.get(s)?.remaining ?? 0), 0);
  return {
    invoices: rows.map((r) => presentListRow({ ...r, paidCents: Number(r.paidCents) } as never)),
    stats: {
      open_count: countOf(...OPEN_STATUSES), paid_count: countOf("paid"), overdue_count: countOf("overdue"),
      open_amount: centsToNumber(openCents), open_amount_formatted: formatEuro(openCents),
    },
    meta: paginationMeta(page, perPage, Number(counted?.total ?? 0)),
  };
}

/** As lib/invoices/rows.ts findVisibleRow: the instance's issued invoice, or 404. */
async function visibleInvoice(b: Bare, instanceId: number, rawId: string, withPdf: boolean) {
  if (!/^\d{1,9}$/.test(rawId) || Number(rawId) <= 0) throw new HttpError(404, "Rechnung nicht gefunden.");
  const [row] = await all(b, withPdf ? b.q.invoiceVisible : b.q.invoiceVisibleWithoutPdf, { instanceId, id: Number(rawId) });
  if (!row) throw new HttpError(404, "Rechnung nicht gefunden.");
  return withPdf ? row : { ...row, pdf: null };
}

/** As lib/invoices/queries.ts getInvoice: the row, then items, payments and related invoices in parallel, then the direct debit. */
async function invoiceDetail(b: Bare, instanceId: number, rawId: string) {
  const row = await visibleInvoice(b, instanceId, rawId, false);
  const [items, payments, related] = await Promise.all([
    all(b, b.q.invoiceItems, { invoiceId: row.id }),
    all(b, b.q.invoicePayments, { invoiceId: row.id }),
    row.cancelsInvoiceId
      ? all(b, b.q.invoiceRelatedOfCreditNote, { invoiceId: row.id, cancelsInvoiceId: row.cancelsInvoiceId })
      : all(b, b.q.invoiceRelated, { invoiceId: row.id }),
  ]);
  const [debitRow] = await all(b, b.q.invoiceDebit, { invoiceId: row.id });
  const notice = debitRow ? noticeOf(debitRow.debit, debitRow.mandate) : null;
  const [state] = notice ? await all(b, b.q.invoiceDebitState, { invoiceId: row.id }) : [];
  const detail = presentDetail(row as never, {
    items: items as never,
    payments: payments as never,
    cancels: (related.find((r) => r.id === row.cancelsInvoiceId) ?? null) as never,
    creditNote: (related.find((r) => r.cancelsInvoiceId === row.id && r.issuedAt !== null) ?? null) as never,
    debit: notice && state ? { notice, status: state.status, returnReason: state.returnReason } : null,
  });
  return { invoice: detail };
}

const ROUTES: { pattern: RegExp; permission?: string; allowSuspended?: boolean; handle: (b: Bare, ctx: InstanceContext, url: URL, m: RegExpExecArray) => Promise<unknown> }[] = [
  { pattern: /^\/api\/manage\/status$/, allowSuspended: true, handle: (b, ctx) => status(b, ctx) },
  { pattern: /^\/api\/manage\/activity-log$/, permission: "activity.read", handle: (b, ctx, url) => activity(b, ctx.instance.id, url) },
  { pattern: /^\/api\/manage\/invoices$/, permission: "invoice.read", handle: (b, ctx, url) => invoiceList(b, ctx.instance.id, url) },
  { pattern: /^\/api\/manage\/invoices\/([^/]+)$/, permission: "invoice.read", handle: (b, ctx, _url, m) => invoiceDetail(b, ctx.instance.id, m[1]!) },
  {
    pattern: /^\/api\/manage\/invoices\/([^/]+)\/pdf$/,
    permission: "invoice.read",
    // As lib/invoices/pdf-archive.ts getInvoicePdf (an archived PDF; the bench's invoices all have one).
    handle: async (b, ctx, _url, m) => {
      const row = await visibleInvoice(b, ctx.instance.id, m[1]!, true);
      if (!row.pdf || !row.invoiceNumber) throw new HttpError(501, "Für dieses PDF liegt im Benchmark kein Archiv vor.");
      return { pdf: row.pdf as Buffer, filename: pdfFilename(row.invoiceNumber), sha256: (row.pdfSha256 as string | null) ?? createHash("sha256").update(row.pdf).digest("hex") };
    },
  },
];

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** v1 errors as lib/doors/v1/errors.ts: `{ detail: { error, message, … } }`. */
function sendV1Error(res: ServerResponse, status: number, error: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const body = JSON.stringify({ detail: { error, message, ...extra } });
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  res.end(body);
}

/**
 * GET /api/v1/auth/me as app/api/v1/auth/me/route.ts: the access token (same
 * keys, lib/auth/jwt.ts), the principal in one query, the 600/min limit, then
 * instance, tenant and 2FA state in parallel — the portal's statements, one by one.
 */
async function v1Me(b: Bare, req: IncomingMessage, res: ServerResponse) {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization?.trim() ?? "");
  if (!match) return sendV1Error(res, 401, "unauthorized", "Nicht angemeldet.", {}, { "www-authenticate": "Bearer" });
  let payload: Record<string, unknown>;
  try {
    payload = await verifyJwt(match[1]!, "access");
  } catch {
    return sendV1Error(res, 401, "unauthorized", "Der Token ist ungültig.", {}, { "www-authenticate": "Bearer" });
  }
  const userId = String(payload.sub);
  const familyId = typeof payload.sid === "string" ? payload.sid : "";
  if (!isUuid(familyId) || !isUuid(userId)) return sendV1Error(res, 401, "token_revoked", "Die Sitzung wurde beendet. Bitte neu anmelden.");
  const [row] = await all(b, b.q.v1AccessPrincipal, { familyId, userId });
  // The portal asks why the family ended (one more statement on this rare path); the bench's tokens are live.
  if (!row?.familyActive) return sendV1Error(res, 401, "token_revoked", "Die Sitzung wurde beendet. Bitte neu anmelden.");
  const [limit] = await all(b, b.q.v1RateLimit, { key: `v1:user:${userId}` });
  if (Number(limit!.count) > V1_RATE_LIMITS.user.limit) {
    const retryAfter = secondsUntilWindowEnds(V1_RATE_LIMITS.user, Number(limit!.age));
    return sendV1Error(res, 429, "rate_limited", rateLimitMessage(retryAfter), { retry_after: retryAfter }, { "retry-after": String(retryAfter) });
  }
  const user = row.user as Row;
  const assigned = (typeof row.roles === "string" ? JSON.parse(row.roles) : row.roles) as AssignedRole[];
  const instanceId = user.instanceId as number | null;
  // Staff (instanceId null) would also ask for an active customer view; the bench's user is a customer.
  const [instance, tenant, twoFactor] = await Promise.all([
    instanceId === null ? null : v1InstanceContext(b, instanceId),
    instanceId === null ? null : all(b, b.q.tenantUuid, { instanceId }).then(([t]) => (t?.uuid as string | undefined) ?? null),
    all(b, b.q.twoFactorStatus, { userId }).then(([t]) => Boolean(t?.enabled)),
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
    instance: instance ? { ...presentInstance(instance), suspended: instance.instance.suspended, suspended_reason: instance.instance.suspended ? instance.instance.suspendedReason : null } : null,
    impersonation: null,
    tenant_id: tenant,
    tenant_scope: staff ? null : tenant,
    two_factor_enabled: twoFactor,
    auth: { via: "jwt", scope: "read_write" },
  });
}

/** As lib/instances/present.ts loadInstanceContext: instance ⨝ tier, then the applied domains. */
async function v1InstanceContext(b: Bare, instanceId: number): Promise<InstanceContext> {
  const [row] = await all(b, b.q.instanceContext, { instanceId });
  if (!row) throw new HttpError(404, "Instanz nicht gefunden.");
  const domains = await all(b, b.q.instanceDomains, { instanceId });
  return {
    instance: row.instance,
    tier: row.tier,
    customPortalDomain: (domains.find((d) => d.kind === "portal")?.domain as string | undefined) ?? null,
    customMeshcentralDomain: (domains.find((d) => d.kind === "meshcentral")?.domain as string | undefined) ?? null,
  };
}

/** The server; `send` is postgres.js in the benchmark (postgresSend), the test's database in tests. */
export function createBareServer(sendStatement: Send, statements: BareStatements = bareStatements()) {
  const b: Bare = { send: sendStatement, q: statements };
  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      // Liveness as app/api/health: no database, no authentication (the bench's measure of the fixed cost per request).
      if (req.method === "GET" && url.pathname === "/api/health") {
        res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
        res.end(JSON.stringify({ status: "ok" }));
        return;
      }
      if (req.method === "GET" && url.pathname === "/api/v1/auth/me") return await v1Me(b, req, res);
      const route = req.method === "GET" ? ROUTES.find((r) => r.pattern.test(url.pathname)) : undefined;
      if (!route) throw new HttpError(404, "Nicht gefunden.");
      const { permissions, ctx } = await authenticate(b, req);
      if (ctx.instance.suspended && !route.allowSuspended) {
        throw new HttpError(403, suspendedMessage(ctx.instance.suspendedReason), { suspended: true });
      }
      if (route.permission && !permissions.has(route.permission)) {
        throw new HttpError(403, "Dafür fehlt Ihnen die Berechtigung.", { missing: route.permission });
      }
      const result = await route.handle(b, ctx, url, route.pattern.exec(url.pathname)!);
      if (result && typeof result === "object" && "pdf" in result && Buffer.isBuffer(result.pdf)) {
        const { pdf, filename, sha256: digest } = result as { pdf: Buffer; filename: string; sha256: string };
        res.writeHead(200, {
          "content-type": "application/pdf",
          "content-length": pdf.length,
          "content-disposition": `attachment; filename="${filename}"`,
          etag: `"${digest}"`,
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
  const server = createBareServer(postgresSend(sql));
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
