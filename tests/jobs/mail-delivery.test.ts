/**
 * The `mail-delivery` job: a queued mail goes out within a few seconds through
 * the runner's sub-minute poll (no one sends the job by hand), and a provider
 * failure is counted in `mail_failures_total`.
 */
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDbHandle } from "@/db/client";
import { mailOutbox } from "@/db/schema";
import { resetConfigForTests } from "@/lib/config";
import { JOBS } from "@/lib/jobs/registry";
import { startJobRunner, type JobRunner } from "@/lib/jobs/runner";
import { enqueueMail } from "@/lib/mail";
import { startResendStandIn, type ResendStandIn } from "@/lib/mail/resend-stand-in";
import { metrics } from "@/lib/observability/metrics";
import { useTestDatabase, usingPostgres } from "../helpers/db";

const database = useTestDatabase({ seed: false });
const savedEnv = { ...process.env };
let resend: ResendStandIn;
let runner: JobRunner | undefined;

beforeAll(async () => {
  resend = await startResendStandIn();
  process.env.RESEND_API_KEY = resend.apiKey;
  process.env.RESEND_BASE_URL = resend.url;
  process.env.MAIL_TRANSPORT = "resend";
  resetConfigForTests();
});
afterEach(async () => {
  await runner?.stop(1000);
  runner = undefined;
});
afterAll(async () => {
  await resend.close();
  process.env = { ...savedEnv };
  resetConfigForTests();
});

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const mailJob = () => JOBS.filter((j) => j.name === "mail-delivery");

describe(`mail-delivery job (${usingPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("is registered with a sub-minute poll", () => {
    const [job] = mailJob();
    expect(job).toBeDefined();
    expect(job.everySeconds).toBeLessThanOrEqual(5);
  });

  it("delivers a queued mail within a few seconds, once", async () => {
    runner = await startJobRunner({ handle: await getDbHandle(), jobs: mailJob(), pollingIntervalSeconds: 0.5 });
    const id = await database.db().transaction((tx) => enqueueMail(tx, { to: "kunde@example.de", subject: "Job-Test", text: "Hallo" }, "job-test-1"));
    const started = Date.now();
    const [row] = await waitFor(() => database.db().select().from(mailOutbox).where(eq(mailOutbox.id, id!)), ([r]) => r?.status === "sent");
    expect(row.status).toBe("sent");
    expect(Date.now() - started).toBeLessThan(10_000);
    await new Promise((r) => setTimeout(r, 4000)); // more polls: nothing is sent twice
    expect(resend.mails.filter((m) => m.subject === "Job-Test")).toHaveLength(1);
  });

  it("counts a failed delivery and keeps the mail for a retry", async () => {
    const failuresBefore = (await metrics().mailFailures.get()).values[0]?.value ?? 0;
    resend.failNext(1, 503);
    runner = await startJobRunner({ handle: await getDbHandle(), jobs: mailJob(), pollingIntervalSeconds: 0.5 });
    const id = await database.db().transaction((tx) => enqueueMail(tx, { to: "kunde@example.de", subject: "Job-Ausfall", text: "Hallo" }, "job-test-2"));
    const [row] = await waitFor(() => database.db().select().from(mailOutbox).where(eq(mailOutbox.id, id!)), ([r]) => (r?.attempts ?? 0) >= 1 && r?.status === "queued");
    expect(row).toMatchObject({ status: "queued", attempts: 1 });
    expect(row.lastError).toMatch(/Service unavailable/);
    expect((await metrics().mailFailures.get()).values[0]?.value ?? 0).toBe(failuresBefore + 1);
  });
});
