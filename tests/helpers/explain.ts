/**
 * EXPLAIN ANALYZE of a statement on a test database, reduced to its scans of one
 * table: which index, how many rows it produced and how many it filtered away.
 * Lets a test show that a page reads its own rows, not the rows before it.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { resultRows } from "@/db/types";

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; "Actual Rows": number; "Actual Loops": number; "Rows Removed by Filter"?: number; Plans?: PlanNode[] };
export type Scan = { type: string; index?: string; rows: number; removed: number };

function scansOf(plan: unknown, table: string) {
  const parsed = (typeof plan === "string" ? JSON.parse(plan) : plan) as { Plan: PlanNode }[];
  const scans: Scan[] = [];
  const walk = (node: PlanNode) => {
    if (node["Relation Name"] === table)
      scans.push({ type: node["Node Type"], index: node["Index Name"], rows: node["Actual Rows"] * node["Actual Loops"], removed: (node["Rows Removed by Filter"] ?? 0) * node["Actual Loops"] });
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(parsed[0]!.Plan);
  return scans;
}

/** EXPLAIN ANALYZE with the parameters inlined as literals; the scans of `table` (default activity_log). */
export async function explainScans(db: Db, text: string, params: unknown[], table = "activity_log") {
  const inlined = text.replace(/\$(\d+)/g, (_, n: string) => {
    const value = params[Number(n) - 1];
    if (value === null || value === undefined) return "null";
    if (typeof value === "number") return String(value);
    return `'${String(value).replace(/'/g, "''")}'`;
  });
  const [row] = resultRows<{ "QUERY PLAN": unknown }>(await db.execute(sql.raw(`explain (analyze, format json) ${inlined}`)));
  return scansOf(row!["QUERY PLAN"], table);
}
