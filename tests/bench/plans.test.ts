/**
 * Query plans of the hot paths (issue 12): with scale data, EXPLAIN of each hot query
 * uses an index and reads neither invoices nor activity_log sequentially.
 *
 * With BENCH_DATABASE_URL set (and seeded by `tsx bench/http/seed-scale.ts`) the plans
 * of the production scale are checked; otherwise a small scale is seeded into the test
 * database (PGlite, or the PostgreSQL of DATABASE_URL) and checked the same way.
 */
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BENCH_KIND, BIG_TABLES, GROWING_TABLES, HOT_QUERIES, inlineParams, readsGrowingTable, summarizePlan, type PlanContext } from "@/bench/http/plans";
import { seedScale, SMALL_SCALE } from "@/bench/http/scale";
import { useTestDatabase } from "@/tests/helpers/db";

type Explain = (text: string) => Promise<unknown>;

const benchUrl = process.env.BENCH_DATABASE_URL;
let explain: Explain;
let context: PlanContext;

const CONTEXT_SQL = `select i.id as instance_id, u.id as user_id,
  (select max(inv.id) from invoices inv where inv.instance_id = i.id and inv.issued_at is not null) as invoice_id,
  (select count(*) from activity_log a where a.instance_id = i.id) as activity_rows,
  (select count(*) from activity_log a where a.instance_id = i.id and a.kind = '${BENCH_KIND}') as kind_rows
  from instances i join users u on u.instance_id = i.id where i.name = 'acme' and u.email = 'admin@firma.de'`;

function toContext(row: Record<string, unknown>): PlanContext {
  return {
    instanceId: Number(row.instance_id),
    userId: String(row.user_id),
    invoiceId: Number(row.invoice_id),
    activityRows: Number(row.activity_rows),
    kindRows: Number(row.kind_rows),
    tokenHash: "0".repeat(64),
    today: new Date().toISOString().slice(0, 10),
  };
}

if (benchUrl) {
  const client = postgres(benchUrl, { max: 1, onnotice: () => {} });
  beforeAll(async () => {
    const [row] = await client.unsafe(CONTEXT_SQL);
    if (!row?.invoice_id) throw new Error("BENCH_DATABASE_URL ist nicht geseedet: erst `tsx bench/http/seed-scale.ts` ausführen.");
    context = toContext(row);
    explain = async (text) => (await client.unsafe(`explain (format json) ${text}`))[0]!["QUERY PLAN"];
  });
  afterAll(() => client.end({ timeout: 5 }));
} else {
  const { db } = useTestDatabase();
  beforeAll(async () => {
    await seedScale(db(), SMALL_SCALE);
    const rows = (await db().execute(sql.raw(CONTEXT_SQL))) as unknown as Record<string, unknown>[] | { rows: Record<string, unknown>[] };
    context = toContext(Array.isArray(rows) ? rows[0]! : rows.rows[0]!);
    explain = async (text) => {
      const result = (await db().execute(sql.raw(`explain (format json) ${text}`))) as unknown as Record<string, unknown>[] | { rows: Record<string, unknown>[] };
      return (Array.isArray(result) ? result : result.rows)[0]!["QUERY PLAN"];
    };
  }, 120_000);
}

describe("summarizePlan", () => {
  it("finds sequential scans of the big tables and index use in nested plans", () => {
    const plan = [{ Plan: { "Node Type": "Nested Loop", Plans: [
      { "Node Type": "Seq Scan", "Relation Name": "invoices" },
      { "Node Type": "Index Scan", "Relation Name": "invoice_payments", "Index Name": "invoice_payments_invoice_idx" },
    ] } }];
    expect(summarizePlan(plan)).toEqual({
      scans: [
        { type: "Seq Scan", relation: "invoices", index: undefined },
        { type: "Index Scan", relation: "invoice_payments", index: "invoice_payments_invoice_idx" },
      ],
      usesIndex: true,
      seqScansOnBigTables: ["invoices"],
    });
    const usersOnly = summarizePlan(JSON.stringify([{ Plan: { "Node Type": "Seq Scan", "Relation Name": "users" } }]));
    expect(usersOnly.usesIndex).toBe(false);
    expect(readsGrowingTable(usersOnly)).toBe(false);
    expect(readsGrowingTable(summarizePlan(plan))).toBe(true);
  });

  it("inlines parameters as SQL literals", () => {
    expect(inlineParams("a = $1 and b = $2 and c = $10", ["x'y", 5, 0, 0, 0, 0, 0, 0, 0, true])).toBe("a = 'x''y' and b = 5 and c = true");
  });
});

describe(`hot query plans (${benchUrl ? "BENCH_DATABASE_URL, production scale" : "test database, small scale"})`, () => {
  for (const query of HOT_QUERIES) {
    it(`${query.name}: no Seq Scan on ${BIG_TABLES.join("/")}, an index where it reads ${GROWING_TABLES.join("/")}`, async () => {
      const plan = summarizePlan(await explain(inlineParams(query.sql, query.params(context))));
      const scans = plan.scans.map((s) => `${s.type} ${s.relation ?? ""}${s.index ? ` (${s.index})` : ""}`).join(", ");
      expect(plan.scans.length, "plan without scans").toBeGreaterThan(0);
      expect(plan.seqScansOnBigTables, `scans: ${scans}`).toEqual([]);
      if (readsGrowingTable(plan)) expect(plan.usesIndex, `scans: ${scans}`).toBe(true);
    });
  }
});
