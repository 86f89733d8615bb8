/**
 * Jobs through pg-boss itself: on the PostgreSQL of DATABASE_URL (CI) or, by
 * default, on the in-memory PGlite through the adapter in lib/jobs/boss.ts.
 */
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDbHandle } from "@/db/client";
import { sessions, users } from "@/db/schema";
import { JOBS, type JobDefinition } from "@/lib/jobs/registry";
import { startJobRunner, type JobRunner } from "@/lib/jobs/runner";
import { metrics } from "@/lib/observability/metrics";
import { useTestDatabase, usingPostgres } from "../helpers/db";

const { db } = useTestDatabase();
const backend = usingPostgres ? "PostgreSQL" : "PGlite";

let runner: JobRunner | undefined;
afterEach(async () => {
  await runner?.stop(1000);
  runner = undefined;
});

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function counter(job: string, outcome: string) {
  const values = (await metrics().jobs.get()).values;
  return values.find((v) => v.labels.job === job && v.labels.outcome === outcome)?.value ?? 0;
}

describe(`pg-boss job runner (${backend})`, () => {
  it("runs the registered housekeeping job from the queue and counts it", async () => {
    const handle = await getDbHandle();
    const [user] = await db().select({ id: users.id }).from(users).limit(1);
    await db().insert(sessions).values({ userId: user.id, tokenHash: "job-expired", kind: "api", expiresAt: new Date(Date.now() - 60_000) });
    const before = await counter("housekeeping", "completed");

    runner = await startJobRunner({ handle, jobs: JOBS, pollingIntervalSeconds: 0.5 });
    const id = await runner.boss.send("housekeeping", {});
    const job = await waitFor(() => runner!.boss.getJobById("housekeeping", id!), (j) => j?.state === "completed");
    expect(job?.state).toBe("completed");
    expect(job?.output).toMatchObject({ sessions: 1 });
    expect(await db().select().from(sessions).where(eq(sessions.tokenHash, "job-expired"))).toHaveLength(0);
    expect(await counter("housekeeping", "completed")).toBe(before + 1);
  });

  it("retries a failing job until it succeeds, and counts the failure", async () => {
    const handle = await getDbHandle();
    let attempts = 0;
    const flaky: JobDefinition = {
      name: "ops-test-flaky",
      handler: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error("erster Versuch scheitert");
        return { attempts };
      },
      retryLimit: 2,
      retryBackoff: false,
      retryDelay: 0,
    };
    runner = await startJobRunner({ handle, jobs: [flaky], pollingIntervalSeconds: 0.5 });
    const id = await runner.boss.send(flaky.name, {});
    const job = await waitFor(() => runner!.boss.getJobById(flaky.name, id!), (j) => j?.state === "completed");
    expect(job?.state).toBe("completed");
    expect(attempts).toBe(2);
    expect(job?.retryCount).toBe(1);
    expect(await counter(flaky.name, "failed")).toBe(1);
    expect(await counter(flaky.name, "completed")).toBe(1);
  });

  it("gives each job to exactly one of several workers", async () => {
    const handle = await getDbHandle();
    const seen: string[] = [];
    const job: JobDefinition = { name: "ops-test-once", handler: async (data) => void seen.push(String(data.n)), retryLimit: 0, retryBackoff: false };
    runner = await startJobRunner({ handle, jobs: [job], pollingIntervalSeconds: 0.5 });
    const second = await startJobRunner({ handle, jobs: [job], pollingIntervalSeconds: 0.5 });
    try {
      for (let n = 0; n < 10; n++) await runner.boss.send(job.name, { n });
      await waitFor(async () => seen.length, (count) => count >= 10);
      await new Promise((r) => setTimeout(r, 1200));
      expect(seen.sort()).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    } finally {
      await second.stop(1000);
    }
  });
});
