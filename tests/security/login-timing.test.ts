/**
 * Issue 11: answering an unknown account must not be measurably faster than a
 * wrong password for a known one. The known case used to await the
 * failed-login entry; here that write is made slow on purpose (a trigger
 * sleeping 400 ms), so awaiting it would show at once.
 */
import { sql } from "drizzle-orm";
import { anonymousActor } from "@/lib/activity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activityLog } from "@/db/schema";
import { settleAuditWrites, verifyCredentials } from "@/lib/auth/credentials";
import { useTestDatabase } from "../helpers/db";

const database = useTestDatabase();

beforeAll(async () => {
  await database
    .db()
    .execute(sql`CREATE OR REPLACE FUNCTION slow_activity_insert() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(0.4); RETURN NEW; END $$ LANGUAGE plpgsql`);
  await database.db().execute(sql`CREATE TRIGGER slow_activity_insert BEFORE INSERT ON activity_log FOR EACH ROW EXECUTE FUNCTION slow_activity_insert()`);
});

afterAll(async () => {
  await settleAuditWrites();
  await database.db().execute(sql`DROP TRIGGER IF EXISTS slow_activity_insert ON activity_log`);
  await database.db().execute(sql`DROP FUNCTION IF EXISTS slow_activity_insert()`);
});

async function timed(email: string) {
  const started = performance.now();
  await verifyCredentials(anonymousActor("198.51.100.60"), { email, password: "falsch-falsch", door: "manage_api" }).catch(() => undefined);
  return performance.now() - started;
}

describe("failed logins take as long for known as for unknown accounts", () => {
  it("does not wait for the failed-login entry before answering", async () => {
    await timed("niemand@firma.de"); // warm-up (dummy hash)
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await timed("admin@firma.de"));
      unknown.push(await timed("niemand@firma.de"));
      await settleAuditWrites();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
    expect(median(known) - median(unknown)).toBeLessThan(200);
    // The entry is still written.
    await settleAuditWrites();
    const rows = await database.db().select().from(activityLog).where(sql`${activityLog.action} = 'manage.login_failed'`);
    expect(rows.length).toBeGreaterThanOrEqual(3);
  });
});
