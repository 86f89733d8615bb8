/**
 * The hot queries of the benchmarked endpoints (bench/http/queries.ts) with sample
 * parameters, and a reader of `EXPLAIN (FORMAT JSON)` plans: which scans a plan
 * uses, whether an index is among them and whether invoices or activity_log are
 * read sequentially. Used by tests/bench/plans.test.ts.
 */
import * as q from "./queries";

/** `activityRows`: the instance's activity count (the last page is the deepest); `kindRows`: its entries of BENCH_KIND. */
export type PlanContext = { instanceId: number; userId: string; tokenHash: string; invoiceId: number; today: string; activityRows: number; kindRows: number };

/** The kind of the benchmarked kind-filtered activity page. */
export const BENCH_KIND = "anmeldung";

export type HotQuery = { name: string; sql: string; params: (ctx: PlanContext) => unknown[] };

export const HOT_QUERIES: HotQuery[] = [
  { name: "session principal (session ⨝ user ⨝ roles ⨝ instance ⨝ tier ⨝ domains)", sql: q.SESSION_PRINCIPAL, params: (c) => ["portal", "meshcentral", c.tokenHash, 1] },
  { name: "principal roles", sql: q.PRINCIPAL_ROLES, params: (c) => [c.userId] },
  { name: "instance context", sql: q.INSTANCE_CONTEXT, params: (c) => [c.instanceId] },
  { name: "status: server", sql: q.STATUS_SERVER, params: (c) => [c.instanceId] },
  { name: "status: billing", sql: q.STATUS_BILLING, params: (c) => [c.instanceId] },
  { name: "activity: count", sql: q.ACTIVITY_COUNT, params: (c) => [c.instanceId, c.instanceId] },
  { name: "activity: page 1", sql: q.ACTIVITY_PAGE, params: (c) => [c.instanceId, 20, 0] },
  { name: "activity: last page", sql: q.ACTIVITY_PAGE, params: (c) => [c.instanceId, 20, Math.max(0, c.activityRows - 20)] },
  { name: "activity of one kind: count", sql: q.ACTIVITY_KIND_COUNT, params: (c) => [c.instanceId, BENCH_KIND] },
  { name: "activity of one kind: last page", sql: q.ACTIVITY_KIND_PAGE, params: (c) => [c.instanceId, BENCH_KIND, 20, Math.max(0, c.kindRows - 20)] },
  { name: "invoices: count", sql: q.INVOICES_COUNT, params: (c) => [c.instanceId] },
  { name: "invoices: page", sql: q.INVOICES_PAGE, params: (c) => [c.today, c.instanceId, 15] },
  { name: "invoices: statistics", sql: q.INVOICES_STATS, params: (c) => [c.today, c.instanceId] },
  { name: "invoice: visible row (PDF)", sql: q.INVOICE_VISIBLE, params: (c) => [c.invoiceId, c.instanceId] },
  { name: "invoice: visible row (detail, no PDF bytes)", sql: q.INVOICE_VISIBLE_NO_PDF, params: (c) => [c.invoiceId, c.instanceId] },
  { name: "invoice: items", sql: q.INVOICE_ITEMS, params: (c) => [c.invoiceId] },
  { name: "invoice: payments", sql: q.INVOICE_PAYMENTS, params: (c) => [c.invoiceId] },
  { name: "invoice: related (credit notes)", sql: q.INVOICE_RELATED, params: (c) => [c.invoiceId] },
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
    if (typeof value === "number") return String(value);
    if (typeof value === "boolean") return value ? "true" : "false";
    return `'${String(value).replace(/'/g, "''")}'`;
  });
}
