/**
 * The kind of an entry and its number among its kind (migration 0027): the database's
 * activity_kind() agrees with actionKind() for every catalog code, the migration's backfill
 * numbers existing rows as the trigger does, and a deep page of a kind is an index range
 * (EXPLAIN ANALYZE: it reads the page's rows, not the rows of the pages before).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { eq, fillPlaceholders, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activityLog, instances } from "@/db/schema";
import { resultRows } from "@/db/types";
import { activityQueries, listActivity } from "@/lib/activity";
import { ACTIVITY_ACTIONS, actionKind } from "@/lib/activity/actions";
import { useTestDatabase } from "../helpers/db";
import { explainScans } from "../helpers/explain";

const database = useTestDatabase();

async function firstInstance() {
  const [row] = await database.db().select({ id: instances.id }).from(instances).orderBy(instances.id).limit(1);
  return row.id;
}

const explainAnalyze = (text: string, params: unknown[]) => explainScans(database.db(), text, params);

describe("activity kinds in the database (migration 0027)", () => {
  it("activity_kind() equals actionKind() for every catalog code and for codes outside it", async () => {
    const codes = [...Object.keys(ACTIVITY_ACTIONS), "test.unknown", "nodot", "server.something_old", "manage.old_code", ""];
    const rows = resultRows<{ code: string; kind: string | null }>(
      await database.db().execute(sql`select c as code, activity_kind(c) as kind from unnest(${`{${codes.map((c) => `"${c}"`).join(",")}}`}::text[]) c`),
    );
    expect(rows).toHaveLength(codes.length);
    for (const row of rows) expect(row.kind, row.code).toBe(actionKind(row.code));
  });

  it("the migration's backfill numbers existing entries per kind in seq order, with kept counts", async () => {
    const db = database.db();
    const instanceId = await firstInstance();
    const actions = ["manage.login", "server.reboot", "invoice.issued", "manage.login_failed", "test.unknown", "server.power_on"];
    await db.insert(activityLog).values(Array.from({ length: 40 }, (_, i) => ({ instanceId, action: actions[(i * 7) % actions.length]!, description: `B ${i}` })));
    await db.insert(activityLog).values({ instanceId: null, action: "manage.login_failed", description: "ohne Instanz" });
    // Retention first, so numbers do not start at 1.
    await db.execute(sql`delete from activity_log where instance_id = ${instanceId} and seq < (select min(seq) from activity_log where instance_id = ${instanceId}) + 5`);
    const numbered = () =>
      db
        .execute(sql`select id, instance_id, kind, kind_seq from activity_log order by id`)
        .then((r) => resultRows<{ id: number; instance_id: number | null; kind: string | null; kind_seq: number | null }>(r).map((x) => [x.id, `${x.instance_id}:${x.kind}`, x.kind_seq === null ? null : Number(x.kind_seq)] as const));
    const byTrigger = await numbered();
    const migration = readFileSync(path.join(__dirname, "../../db/migrations/0027_activity_kind_seq.sql"), "utf8").split("--> statement-breakpoint");
    const backfill = migration.filter((s) => /^\s*(UPDATE "activity_log"|INSERT INTO "activity_kind_counts")/.test(s.replace(/^(\s*--.*\n)*/, "")));
    expect(backfill).toHaveLength(2);
    await db.transaction(async (tx) => {
      // As before the migration: no kinds, no numbers, no counters.
      await tx.execute(sql`alter table activity_log disable trigger activity_log_fixed`);
      await tx.execute(sql`alter table activity_log drop constraint activity_log_kind_seq_with_kind`);
      await tx.execute(sql`update activity_log set kind = null, kind_seq = null`);
      await tx.execute(sql`delete from activity_kind_counts`);
      for (const statement of backfill) await tx.execute(sql.raw(statement));
      await tx.execute(sql`alter table activity_log add constraint activity_log_kind_seq_with_kind check ((kind_seq is null) = (instance_id is null or kind is null))`);
      await tx.execute(sql`alter table activity_log enable trigger activity_log_fixed`);
    });
    const byBackfill = await numbered();
    // The trigger's numbers of the retained entries start above 1, the backfill's at 1: per (instance, kind) the same run, shifted.
    const shift = new Map<string, number>();
    for (let i = 0; i < byTrigger.length; i++) {
      const [id, kind, triggerSeq] = byTrigger[i]!;
      const [, backfillKind, backfillSeq] = byBackfill[i]!;
      expect(backfillKind, `entry ${id}`).toBe(kind);
      expect(backfillSeq === null, `entry ${id}`).toBe(triggerSeq === null);
      if (triggerSeq === null || backfillSeq === null) continue;
      const delta = Number(triggerSeq) - Number(backfillSeq);
      if (!shift.has(kind)) shift.set(kind, delta);
      expect(delta, `entry ${id}`).toBe(shift.get(kind));
    }
    expect(shift.size).toBeGreaterThanOrEqual(3);
    const counters = resultRows<{ instance_id: number; kind: string; n: number; last_seq: number }>(await db.execute(sql`select * from activity_kind_counts where instance_id = ${instanceId}`));
    for (const counter of counters) {
      const [{ n, hi }] = resultRows<{ n: number; hi: number }>(await db.execute(sql`select count(*)::int as n, max(kind_seq)::int as hi from activity_log where instance_id = ${instanceId} and kind = ${counter.kind}`));
      expect(Number(counter.n)).toBe(Number(n));
      expect(Number(counter.last_seq)).toBe(Number(hi));
      expect(Number(hi)).toBe(Number(n)); // backfilled: 1..n
    }
    // Pages still equal what the trigger numbering gave: the log goes on from there.
    const page = await listActivity(instanceId, { page: 2, perPage: 3 }, { kind: "anmeldung" });
    expect(page.meta.total).toBe(Number(counters.find((c) => c.kind === "anmeldung")!.n));
    await db.insert(activityLog).values({ instanceId, action: "manage.login", description: "danach" });
    const [after] = await db.select({ kindSeq: activityLog.kindSeq }).from(activityLog).where(eq(activityLog.description, "danach"));
    expect(after.kindSeq).toBe(Number(counters.find((c) => c.kind === "anmeldung")!.n) + 1);
  });

  it("a deep page of one kind reads its own rows on an index range, not the rows of the pages before", async () => {
    const db = database.db();
    const instanceId = await firstInstance();
    await db.delete(activityLog).where(eq(activityLog.instanceId, instanceId));
    const rows = Array.from({ length: 6000 }, (_, i) => ({ instanceId, action: i % 3 ? "server.reboot" : "manage.login", description: `E ${i}` }));
    for (let i = 0; i < rows.length; i += 2000) await db.insert(activityLog).values(rows.slice(i, i + 2000));
    await db.execute(sql`analyze activity_log`);
    const perPage = 20;
    const { meta } = await listActivity(instanceId, { page: 1, perPage }, { kind: "server" });
    expect(meta.total).toBe(4000);
    const lastPage = meta.last_page;
    const q = activityQueries(db);
    const values = { instanceId, kind: "server", from: null, to: null, limit: perPage, back: (lastPage - 1) * perPage };
    for (const [name, statement, bound] of [
      ["page", q.kindPage, perPage + 2],
      ["total", q.kindTotal, 2],
    ] as const) {
      const query = statement.getQuery();
      const scans = await explainAnalyze(query.sql, fillPlaceholders(query.params, values));
      const summary = JSON.stringify(scans);
      expect(scans.length, summary).toBeGreaterThan(0);
      for (const scan of scans) {
        expect(scan.type, `${name}: ${summary}`).toMatch(/^Index (Only )?Scan/);
        expect(scan.index, `${name}: ${summary}`).toMatch(/^activity_log_instance_kind_(seq|created)_idx$/);
        expect(scan.removed, `${name}: ${summary}`).toBe(0);
      }
      expect(scans.reduce((sum, s) => sum + s.rows, 0), `${name}: ${summary}`).toBeLessThanOrEqual(bound);
    }
    // The plain OFFSET query of the same page reads every matching row before it: what the range avoids.
    const offsetScans = await explainAnalyze(
      `select id from activity_log where instance_id = $1 and action in ('server.reboot') order by seq desc limit $2 offset $3`,
      [instanceId, perPage, (lastPage - 1) * perPage],
    );
    expect(offsetScans.reduce((sum, s) => sum + s.rows + s.removed, 0)).toBeGreaterThan(3000);
    // And the page itself is right: the oldest 20 server entries, newest first.
    const page = await listActivity(instanceId, { page: lastPage, perPage }, { kind: "server" });
    expect(page.logs.map((l) => l.description)).toEqual(
      rows.map((r, i) => ({ ...r, i })).filter((r) => r.action === "server.reboot").slice(0, perPage).reverse().map((r) => r.description),
    );
  });
});
