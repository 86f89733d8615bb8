/**
 * The hot queries of the benchmarked endpoints (the bare server's statements,
 * rendered from the portal's builders: statements.ts) with sample values, and a
 * reader of `EXPLAIN (FORMAT JSON)` plans: which scans a plan uses, whether an
 * index is among them and whether invoices or activity_log are read sequentially.
 * Used by tests/bench/plans.test.ts.
 */
import { bareStatements, type Statement } from "./statements";

/** `activityRows`: the instance's activity count (the last page is the deepest); `kindRows`: its entries of BENCH_KIND. */
export type PlanContext = { instanceId: number; userId: string; tokenHash: string; invoiceId: number; today: string; activityRows: number; kindRows: number };

/** The kind of the benchmarked kind-filtered activity page. */
export const BENCH_KIND = "anmeldung";

export type HotQuery = { name: string; sql: string; params: (ctx: PlanContext) => unknown[] };

const q = bareStatements();
const hot = (name: string, statement: Statement, values: (c: PlanContext) => Record<string, unknown>): HotQuery => ({
  name,
  sql: statement.text,
  params: (c) => statement.params(values(c)),
});
const noPeriod = { from: null, to: null };

export const HOT_QUERIES: HotQuery[] = [
  hot("session principal (session ⨝ user ⨝ roles ⨝ instance ⨝ tier ⨝ domains)", q.sessionPrincipal, (c) => ({ tokenHash: c.tokenHash })),
  hot("API v1 access principal (user, family, roles)", q.v1AccessPrincipal, (c) => ({ familyId: "00000000-0000-4000-8000-000000000000", userId: c.userId })),
  hot("instance context", q.instanceContext, (c) => ({ instanceId: c.instanceId })),
  hot("status: server", q.statusServer, (c) => ({ instanceId: c.instanceId })),
  hot("status: billing", q.statusBilling, (c) => ({ instanceId: c.instanceId })),
  hot("status: usage", q.usage, (c) => ({ instanceId: c.instanceId })),
  hot("activity: count", q.activityTotal, (c) => ({ instanceId: c.instanceId, kind: null, ...noPeriod })),
  hot("activity: page 1", q.activityPage, (c) => ({ instanceId: c.instanceId, kind: null, ...noPeriod, limit: 20, back: 0 })),
  hot("activity: last page", q.activityPage, (c) => ({ instanceId: c.instanceId, kind: null, ...noPeriod, limit: 20, back: Math.max(0, c.activityRows - 20) })),
  hot("activity of one kind: count", q.activityKindTotal, (c) => ({ instanceId: c.instanceId, kind: BENCH_KIND, ...noPeriod })),
  hot("activity of one kind: last page", q.activityKindPage, (c) => ({ instanceId: c.instanceId, kind: BENCH_KIND, ...noPeriod, limit: 20, back: Math.max(0, c.kindRows - 20) })),
  hot("invoices: count", q.invoiceCount, (c) => ({ instanceId: c.instanceId })),
  hot("invoices: page", q.invoicePage, (c) => ({ instanceId: c.instanceId, today: c.today, limit: 15, offset: 0 })),
  hot("invoices: statistics", q.invoiceStats, (c) => ({ instanceId: c.instanceId, today: c.today })),
  hot("invoice: visible row (PDF)", q.invoiceVisible, (c) => ({ instanceId: c.instanceId, id: c.invoiceId })),
  hot("invoice: visible row (detail, no PDF bytes)", q.invoiceVisibleWithoutPdf, (c) => ({ instanceId: c.instanceId, id: c.invoiceId })),
  hot("invoice: items", q.invoiceItems, (c) => ({ invoiceId: c.invoiceId })),
  hot("invoice: payments", q.invoicePayments, (c) => ({ invoiceId: c.invoiceId })),
  hot("invoice: related (credit notes)", q.invoiceRelated, (c) => ({ invoiceId: c.invoiceId })),
  hot("invoice: direct debit", q.invoiceDebit, (c) => ({ invoiceId: c.invoiceId })),
];

/** Tables that must never be read sequentially on a hot path. */
export const BIG_TABLES = ["invoices", "activity_log"] as const;

/**
 * Tables that grow with the customers' history: a query reading one of them must use an
 * index. Lookups in small tables (sessions, roles, a few dozen instances in the small
 * scale) may be sequential — that is the planner's right choice there.
 */
export const GROWING_TABLES = ["invoices", "activity_log", "invoice_items", "invoice_payments"] as const;

export function readsGrowingTable(summary: PlanSummary) {
  return summary.scans.some((s) => (GROWING_TABLES as readonly string[]).includes(s.relation ?? ""));
}

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: PlanNode[] };

export type PlanSummary = { scans: { type: string; relation?: string; index?: string }[]; usesIndex: boolean; seqScansOnBigTables: string[] };

/** Summarises the JSON of `EXPLAIN (FORMAT JSON)` (the array PostgreSQL returns). */
export function summarizePlan(explain: unknown): PlanSummary {
  const parsed = typeof explain === "string" ? JSON.parse(explain) : explain;
  const root = (Array.isArray(parsed) ? parsed[0] : parsed) as { Plan: PlanNode };
  const scans: PlanSummary["scans"] = [];
  const walk = (node: PlanNode) => {
    if (/Scan$/.test(node["Node Type"])) scans.push({ type: node["Node Type"], relation: node["Relation Name"], index: node["Index Name"] });
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(root.Plan);
  return {
    scans,
    usesIndex: scans.some((s) => s.index !== undefined),
    seqScansOnBigTables: scans.filter((s) => s.type === "Seq Scan" && (BIG_TABLES as readonly string[]).includes(s.relation ?? "")).map((s) => s.relation!),
  };
}

/** Inlines the parameters as literals (EXPLAIN of a statement with $n needs them bound). */
export function inlineParams(sqlText: string, params: unknown[]) {
  return sqlText.replace(/\$(\d+)/g, (_, n: string) => {
    const value = params[Number(n) - 1];
    if (value === null || value === undefined) return "null";
    if (typeof value === "number") return String(value);
    if (typeof value === "boolean") return value ? "true" : "false";
    return `'${String(value).replace(/'/g, "''")}'`;
  });
}
