/**
 * Pages of the activity log by number, as ranges of the per-instance `seq`
 * (migration 0019) and, with a kind filter, of the per-(instance, kind)
 * `kind_seq` (migration 0027): every page, with and without filters, must equal the plain
 * OFFSET query on the same rows — on random logs that were written, partly
 * rolled back, shortened by retention and anonymised, and while two other
 * processes write the same instance's log (PostgreSQL; on PGlite two writers
 * share the one connection).
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { activityLog, instances } from "@/db/schema";
import { resultRows } from "@/db/types";
import { ACTIVITY_KIND_KEYS, anonymousActor, listActivity, recordActivity, type ActivityAction, type ActivityFilters, type ActivityKind } from "@/lib/activity";
import { ACTIVITY_ACTIONS, actionKind, actionsOfKind } from "@/lib/activity/actions";
import { anonymiseOldIps } from "@/lib/jobs/housekeeping";
import { useTestDatabase, usingPostgres } from "../helpers/db";

const database = useTestDatabase();
const run = promisify(execFile);

type Row = { id: number; seq: number; created_at: string };

async function instanceIds(): Promise<number[]> {
  const rows = await database.db().select({ id: instances.id }).from(instances).orderBy(instances.id);
  return rows.map((r) => r.id);
}

/** The plain OFFSET query of the log as it was read before numbers: newest first by (created_at, id). */
async function offsetPage(instanceId: number, page: number, perPage: number, filters: ActivityFilters, order: "created" | "seq") {
  const conditions = [sql`instance_id = ${instanceId}`];
  if (filters.kind) conditions.push(sql`action in (${sql.join(actionsOfKind(filters.kind).map((a) => sql`${a}`), sql`, `)})`);
  if (filters.from) conditions.push(sql`created_at >= (${filters.from}::date)::timestamp at time zone 'Europe/Berlin'`);
  if (filters.to) conditions.push(sql`created_at < (${filters.to}::date + 1)::timestamp at time zone 'Europe/Berlin'`);
  const where = sql.join(conditions, sql` and `);
  const orderBy = order === "created" ? sql`created_at desc, id desc` : sql`seq desc`;
  const db = database.db();
  const rows = resultRows<{ id: number }>(await db.execute(sql`select id from activity_log where ${where} order by ${orderBy} limit ${perPage} offset ${(page - 1) * perPage}`));
  const [{ n }] = resultRows<{ n: number }>(await db.execute(sql`select count(*)::int as n from activity_log where ${where}`));
  return { ids: rows.map((r) => Number(r.id)), total: Number(n) };
}

async function expectSameAsOffset(instanceId: number, page: number, perPage: number, filters: ActivityFilters, order: "created" | "seq") {
  const got = await listActivity(instanceId, { page, perPage }, filters);
  const want = await offsetPage(instanceId, page, perPage, filters, order);
  expect(got.logs.map((l) => l.id), `page ${page} × ${perPage} ${JSON.stringify(filters)}`).toEqual(want.ids);
  expect(got.meta.total).toBe(want.total);
  expect(got.meta.last_page).toBe(Math.max(1, Math.ceil(want.total / perPage)));
}

/** Numbers of one instance are 1 run without holes, its count kept, its times in number order. */
async function expectUnbrokenRun(instanceId: number) {
  const db = database.db();
  const rows = resultRows<Row>(await db.execute(sql`select id, seq, created_at::text from activity_log where instance_id = ${instanceId} order by seq`));
  const seqs = rows.map((r) => Number(r.seq));
  if (seqs.length > 0) expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0] + i));
  const times = resultRows<{ ordered: boolean }>(
    await db.execute(sql`select bool_and(created_at >= prev) as ordered from (select created_at, lag(created_at) over (order by seq) as prev from activity_log where instance_id = ${instanceId}) t`),
  );
  expect(times[0].ordered ?? true).not.toBe(false);
  const [kept] = resultRows<{ n: number }>(await db.execute(sql`select coalesce((select n from activity_counts where instance_id = ${instanceId}), 0)::int as n`));
  expect(Number(kept.n)).toBe(seqs.length);
  await expectUnbrokenKindRuns(instanceId);
}

/**
 * Per kind the same (migration 0027): `kind` is the action's kind, `kind_seq` an unbroken run in
 * `seq` order, its count and last number kept in activity_kind_counts.
 */
async function expectUnbrokenKindRuns(instanceId: number) {
  const db = database.db();
  const rows = resultRows<{ action: string; kind: string | null; kind_seq: number | null }>(
    await db.execute(sql`select action, kind, kind_seq from activity_log where instance_id = ${instanceId} order by seq`),
  );
  const byKind = new Map<string, number[]>();
  for (const row of rows) {
    expect(row.kind, row.action).toBe(actionKind(row.action));
    expect(row.kind_seq === null, row.action).toBe(row.kind === null);
    if (row.kind) byKind.set(row.kind, [...(byKind.get(row.kind) ?? []), Number(row.kind_seq)]);
  }
  const kept = resultRows<{ kind: string; n: number; last_seq: number }>(await db.execute(sql`select kind, n, last_seq from activity_kind_counts where instance_id = ${instanceId}`));
  for (const [kind, numbers] of byKind) {
    expect(numbers, kind).toEqual(Array.from({ length: numbers.length }, (_, i) => numbers[0] + i));
    const counter = kept.find((k) => k.kind === kind);
    expect(Number(counter?.n), kind).toBe(numbers.length);
    expect(Number(counter?.last_seq), kind).toBe(numbers.at(-1));
  }
  for (const counter of kept) if (!byKind.has(counter.kind)) expect(Number(counter.n), counter.kind).toBe(0);
}

/** Catalog codes and one the catalog does not know (old entries): it belongs to no kind. */
const ACTIONS: string[] = [...Object.keys(ACTIVITY_ACTIONS), "test.unknown"];
const DAY = 86_400_000;
const BASE = Date.parse("2026-03-25T00:00:00Z"); // spans the change to summer time in Berlin (29 March)

const entryArb = fc.record({ action: fc.constantFrom(...ACTIONS), at: fc.integer({ min: 0, max: 10 * DAY }) });
const opArb = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant("insert" as const), entries: fc.array(entryArb, { minLength: 1, maxLength: 25 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("record" as const), entries: fc.array(entryArb, { minLength: 1, maxLength: 4 }), rollback: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("retention" as const), oldest: fc.integer({ min: 1, max: 15 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("anonymise" as const), days: fc.integer({ min: 0, max: 400 }) }) },
);
const dayArb = fc.integer({ min: -1, max: 11 }).map((d) => new Date(BASE + d * DAY).toISOString().slice(0, 10));
const filterArb = fc
  .record({ kind: fc.option(fc.constantFrom(...ACTIVITY_KIND_KEYS), { nil: undefined }), from: fc.option(dayArb, { nil: undefined }), to: fc.option(dayArb, { nil: undefined }) })
  .map((f) => (f.from && f.to && f.from > f.to ? { ...f, from: f.to, to: f.from } : f) as ActivityFilters);
const readArb = fc.record({ page: fc.integer({ min: 1, max: 30 }), perPage: fc.integer({ min: 1, max: 12 }), filters: filterArb });
/** Kind-filtered reads (with or without a period) deep into the log. */
const kindReadArb = fc.record({
  page: fc.integer({ min: 1, max: 40 }),
  perPage: fc.integer({ min: 1, max: 5 }),
  filters: fc.tuple(fc.constantFrom(...ACTIVITY_KIND_KEYS), filterArb).map(([kind, f]) => ({ ...f, kind }) as ActivityFilters),
});

class Rollback extends Error {}

describe("activity pages as ranges of seq", () => {
  it("equal the plain OFFSET query on random logs, with and without kind and period (inserts, rolled-back commands, retention, IP anonymisation)", async () => {
    const db = database.db();
    const [first, second] = await instanceIds();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ second: fc.boolean(), op: opArb }), { minLength: 1, maxLength: 10 }), fc.array(fc.oneof(readArb, kindReadArb), { minLength: 6, maxLength: 12 }), async (ops, reads) => {
        await db.delete(activityLog).where(sql`${activityLog.instanceId} in (${first}, ${second})`);
        for (const { second: onSecond, op } of ops) {
          const instanceId = onSecond ? second : first;
          if (op.op === "insert") {
            // One statement, times in any order (the trigger keeps them in number order).
            await db.insert(activityLog).values(op.entries.map((e, i) => ({ instanceId, action: e.action, description: `E ${i}`, ip: "198.51.100.7", createdAt: new Date(BASE + e.at) })));
          } else if (op.op === "record") {
            await db
              .transaction(async (tx) => {
                for (const e of op.entries) await recordActivity(tx, anonymousActor("2001:db8::1"), { instanceId, action: (e.action in ACTIVITY_ACTIONS ? e.action : "manage.login") as ActivityAction });
                if (op.rollback) throw new Rollback();
              })
              .catch((error: unknown) => {
                if (!(error instanceof Rollback)) throw error;
              });
          } else if (op.op === "retention") {
            await db.execute(sql`delete from activity_log where instance_id = ${instanceId} and seq < (select min(seq) from activity_log where instance_id = ${instanceId}) + ${op.oldest}`);
          } else {
            await anonymiseOldIps(db, op.days);
          }
        }
        for (const instanceId of [first, second]) {
          await expectUnbrokenRun(instanceId);
          for (const read of reads) await expectSameAsOffset(instanceId, read.page, read.perPage, read.filters, "created");
          // The last page and the one after it, whatever the random reads hit.
          const { meta } = await listActivity(instanceId, { page: 1, perPage: 7 });
          await expectSameAsOffset(instanceId, meta.last_page, 7, {}, "created");
          await expectSameAsOffset(instanceId, meta.last_page + 1, 7, {}, "created");
          // And of every kind: its last page, the one after it, and a page in the middle.
          for (const kind of ACTIVITY_KIND_KEYS) {
            const ofKind = (await listActivity(instanceId, { page: 1, perPage: 3 }, { kind })).meta;
            for (const page of new Set([ofKind.last_page, ofKind.last_page + 1, Math.ceil(ofKind.last_page / 2)])) await expectSameAsOffset(instanceId, page, 3, { kind }, "created");
          }
        }
      }),
      { numRuns: 20, seed: 20261204 },
    );
  }, 180_000);

  it("numbers each instance on its own, leaves entries without an instance unnumbered, and keeps times in number order", async () => {
    const db = database.db();
    const [first, second] = await instanceIds();
    await db.delete(activityLog).where(sql`${activityLog.instanceId} in (${first}, ${second})`);
    const rows = await db
      .insert(activityLog)
      .values([
        { instanceId: first, action: "manage.login", description: "a", createdAt: new Date("2026-05-02T10:00:00Z") },
        { instanceId: second, action: "manage.login", description: "b", createdAt: new Date("2026-05-01T10:00:00Z") },
        { instanceId: first, action: "manage.login", description: "c", createdAt: new Date("2026-05-01T09:00:00Z") },
        { instanceId: null, action: "manage.login_failed", description: "d" },
      ])
      .returning({ description: activityLog.description, seq: activityLog.seq, createdAt: activityLog.createdAt });
    const byDescription = Object.fromEntries(rows.map((r) => [r.description, r]));
    expect(byDescription.d.seq).toBeNull();
    expect(byDescription.b.seq).toBeGreaterThan(0);
    expect(byDescription.c.seq).toBe(byDescription.a.seq! + 1);
    // Written after "a", so never earlier than it: the log stays in recording order.
    expect(byDescription.c.createdAt.toISOString()).toBe("2026-05-02T10:00:00.000Z");
  });

  it("refuses a hole and changes of instance, number or time; allows retention from the oldest end and the IP change", async () => {
    const db = database.db();
    const [first] = await instanceIds();
    await db.delete(activityLog).where(eq(activityLog.instanceId, first));
    await db.insert(activityLog).values(Array.from({ length: 6 }, (_, i) => ({ instanceId: first, action: "server.reboot", description: `R ${i}`, ip: "203.0.113.77" })));
    const seqs = (await db.select({ seq: activityLog.seq }).from(activityLog).where(eq(activityLog.instanceId, first)).orderBy(activityLog.seq)).map((r) => r.seq!);
    const refused = async (statement: Promise<unknown>, message: RegExp) => {
      const error = await statement.then(
        () => null,
        (e: Error & { cause?: Error }) => e,
      );
      expect(error, "the statement should have been refused").not.toBeNull();
      expect(error!.cause?.message ?? error!.message).toMatch(message);
    };
    await refused(db.execute(sql`delete from activity_log where instance_id = ${first} and seq = ${seqs[2]}`), /ältesten Eintrag/);
    await refused(db.execute(sql`delete from activity_log where instance_id = ${first} and seq = ${seqs[5]}`), /ältesten Eintrag/);
    await refused(db.execute(sql`update activity_log set seq = seq + 100 where instance_id = ${first}`), /unveränderlich/);
    await refused(db.execute(sql`update activity_log set created_at = created_at - interval '1 day' where instance_id = ${first}`), /unveränderlich/);
    await refused(db.execute(sql`update activity_log set instance_id = null where instance_id = ${first}`), /unveränderlich/);
    await refused(db.execute(sql`update activity_log set kind_seq = kind_seq + 100 where instance_id = ${first}`), /unveränderlich/);
    await refused(db.execute(sql`update activity_log set kind = 'konto' where instance_id = ${first}`), /unveränderlich/);
    await refused(db.execute(sql`update activity_log set action = 'manage.login' where instance_id = ${first}`), /unveränderlich/);
    await db.execute(sql`update activity_log set ip = anonymise_ip(ip) where instance_id = ${first}`);
    await db.execute(sql`delete from activity_log where instance_id = ${first} and seq <= ${seqs[1]}`);
    const page = await listActivity(first, { page: 2, perPage: 3 });
    expect(page.meta).toEqual({ current_page: 2, last_page: 2, per_page: 3, total: 4 });
    expect(page.logs.map((l) => l.description)).toEqual(["R 2"]);
    // The next entry goes on from the last number.
    await recordActivity(db, anonymousActor(null), { instanceId: first, action: "manage.login" });
    await expectUnbrokenRun(first);
  });
});

describe(`activity pages while two ${usingPostgres ? "processes" : "writers (PGlite: one connection)"} write the same log`, () => {
  it("every page read during and after the writes equals the OFFSET query; numbers stay an unbroken run", async () => {
    const db = database.db();
    const [instanceId] = await instanceIds();
    await db.delete(activityLog).where(eq(activityLog.instanceId, instanceId));
    const transactions = 60;
    let writing = true;
    const writers = usingPostgres
      ? [1, 2].map((seed) =>
          run(process.execPath, [path.join(__dirname, "concurrent-writer.mjs"), process.env.DATABASE_URL!, String(instanceId), String(transactions), String(seed)]).then(
            ({ stdout }) => (JSON.parse(stdout) as { committed: number }).committed,
          ),
        )
      : [1, 2].map(async (seed) => {
          let committed = 0;
          for (let t = 0; t < transactions; t++) {
            const entries = 1 + ((t * seed) % 3);
            await db
              .transaction(async (tx) => {
                for (let e = 0; e < entries; e++) await recordActivity(tx, anonymousActor("203.0.113.9"), { instanceId, action: (t + e) % 2 ? "server.reboot" : "manage.login" });
                if ((t + seed) % 5 === 0) throw new Rollback();
              })
              .then(() => (committed += entries))
              .catch((error: unknown) => {
                if (!(error instanceof Rollback)) throw error;
              });
          }
          return committed;
        });
    const done = Promise.all(writers).finally(() => (writing = false));
    // Reads while the others write: one page is one statement, so it is one snapshot — an
    // unbroken run of numbers ending at the newest, or the exact tail of what it saw.
    let reads = 0;
    while (writing) {
      const page = await listActivity(instanceId, { page: 1 + (reads % 3), perPage: 5 });
      const seqs = resultRows<{ seq: number }>(
        await db.execute(sql`select seq from activity_log where id in (${sql.join([0, ...page.logs.map((l) => l.id)].map((id) => sql`${id}`), sql`, `)}) order by seq desc`),
      ).map((r) => Number(r.seq));
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1] - 1);
      // A kind's page: consecutive kind numbers of that kind, newest first.
      const kind = reads % 2 ? "anmeldung" : "server";
      const kindPage = await listActivity(instanceId, { page: 1 + (reads % 4), perPage: 4 }, { kind });
      const kindSeqs = resultRows<{ kind_seq: number; kind: string }>(
        await db.execute(sql`select kind_seq, kind from activity_log where id in (${sql.join([0, ...kindPage.logs.map((l) => l.id)].map((id) => sql`${id}`), sql`, `)}) order by kind_seq desc`),
      );
      for (let i = 0; i < kindSeqs.length; i++) {
        expect(kindSeqs[i].kind).toBe(kind);
        if (i > 0) expect(Number(kindSeqs[i].kind_seq)).toBe(Number(kindSeqs[i - 1].kind_seq) - 1);
      }
      reads++;
    }
    const committed = (await done).reduce((a, b) => a + b, 0);
    expect(committed).toBeGreaterThan(0);
    await expectUnbrokenRun(instanceId);
    const { meta } = await listActivity(instanceId, { page: 1, perPage: 10 });
    expect(meta.total).toBe(committed);
    for (let page = 1; page <= meta.last_page + 1; page++) await expectSameAsOffset(instanceId, page, 10, {}, "seq");
    for (const kind of ["anmeldung", "server"] as ActivityKind[]) {
      const ofKind = (await listActivity(instanceId, { page: 1, perPage: 7 }, { kind })).meta;
      expect(ofKind.total).toBeGreaterThan(0);
      for (let page = 1; page <= ofKind.last_page + 1; page++) await expectSameAsOffset(instanceId, page, 7, { kind }, "seq");
    }
    expect(reads).toBeGreaterThan(0);
  }, 120_000);
});
