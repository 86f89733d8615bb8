import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { mailOutbox } from "@/db/schema";
import { resetConfigForTests } from "@/lib/config";
import { backoffSeconds, deliverDueMails, enqueueMail, MAIL_MAX_ATTEMPTS, readOutbox, requeueMail } from "@/lib/mail";
import { startResendStandIn, type ResendStandIn } from "@/lib/mail/resend-stand-in";
import { useTestDatabase } from "../helpers/db";

const database = useTestDatabase({ seed: false });
const mail = (to: string, subject = "Test") => ({ to, subject, text: "Hallo", attachments: [{ filename: "a.pdf", contentType: "application/pdf", content: Buffer.from("%PDF-1.4 test") }] });

let resend: ResendStandIn;
const savedEnv = { ...process.env };

function useTransport(kind: "resend" | "outbox") {
  if (kind === "resend") {
    process.env.RESEND_API_KEY = resend.apiKey;
    process.env.RESEND_BASE_URL = resend.url;
    process.env.MAIL_TRANSPORT = "resend";
  } else {
    delete process.env.RESEND_API_KEY;
    process.env.MAIL_TRANSPORT = "outbox";
  }
  resetConfigForTests();
}

/** Makes every queued mail due now (the backoff is real time otherwise). */
async function makeDue() {
  await database.db().update(mailOutbox).set({ nextAttemptAt: sql`now() - interval '1 second'` }).where(eq(mailOutbox.status, "queued"));
}

beforeAll(async () => {
  resend = await startResendStandIn();
});
afterEach(async () => {
  await database.db().delete(mailOutbox);
  resend.mails.length = 0;
  process.env = { ...savedEnv };
  resetConfigForTests();
});
afterAll(async () => {
  await resend.close();
});

describe("mail outbox", () => {
  it("queues a mail only when the change that causes it commits", async () => {
    const db = database.db();
    await expect(
      db.transaction(async (tx) => {
        await enqueueMail(tx, mail("rollback@example.com"));
        throw new Error("change failed");
      }),
    ).rejects.toThrow("change failed");
    await db.transaction(async (tx) => {
      await enqueueMail(tx, mail("commit@example.com"));
    });
    expect(await readOutbox("rollback@example.com")).toHaveLength(0);
    const [queued] = await readOutbox("commit@example.com");
    expect(queued.status).toBe("queued");
    // Read models never carry the attachment bytes.
    expect(queued.attachments).toEqual([{ filename: "a.pdf", contentType: "application/pdf", size: 13 }]);
  });

  it("queues a mail with the same idempotency key once", async () => {
    const db = database.db();
    expect(await enqueueMail(db, mail("once@example.com"), "invoice-7-issued")).not.toBeNull();
    expect(await enqueueMail(db, mail("once@example.com"), "invoice-7-issued")).toBeNull();
    expect(await readOutbox("once@example.com")).toHaveLength(1);
  });

  it("delivers through Resend with the attachment and the idempotency key", async () => {
    useTransport("resend");
    await enqueueMail(database.db(), mail("kunde@example.com", "Ihre Rechnung"), "key-1");
    expect(await deliverDueMails()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(resend.mails).toHaveLength(1);
    expect(resend.mails[0]).toMatchObject({ to: ["kunde@example.com"], subject: "Ihre Rechnung", idempotencyKey: "key-1" });
    const [row] = await readOutbox("kunde@example.com");
    expect(row.status).toBe("sent");
    expect(await deliverDueMails()).toEqual({ sent: 0, retried: 0, failed: 0 });
  });

  it("keeps the mail while Resend is down and sends it once it is back", async () => {
    useTransport("resend");
    await enqueueMail(database.db(), mail("outage@example.com"));
    resend.failNext(2, 503);
    expect(await deliverDueMails()).toEqual({ sent: 0, retried: 1, failed: 0 });
    const [afterFirst] = await database.db().select().from(mailOutbox);
    expect(afterFirst.status).toBe("queued");
    expect(afterFirst.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 20_000);
    expect(await deliverDueMails()).toEqual({ sent: 0, retried: 0, failed: 0 }); // not due yet
    await makeDue();
    expect(await deliverDueMails()).toMatchObject({ retried: 1 });
    await makeDue();
    expect(await deliverDueMails()).toMatchObject({ sent: 1 });
    expect(resend.mails.filter((m) => m.to.includes("outage@example.com"))).toHaveLength(1);
  });

  it("sends a mail at most once when a worker died after Resend accepted it", async () => {
    useTransport("resend");
    await enqueueMail(database.db(), mail("crash@example.com"));
    resend.dropNextResponse();
    const first = await deliverDueMails();
    expect(first.retried).toBe(1); // the worker could not know the mail went out
    await makeDue();
    expect(await deliverDueMails()).toMatchObject({ sent: 1 });
    expect(resend.mails.filter((m) => m.to.includes("crash@example.com"))).toHaveLength(1);
  });

  it("marks a mail failed after the last attempt; staff can queue it again", async () => {
    useTransport("resend");
    await enqueueMail(database.db(), mail("failed@example.com"));
    resend.failNext(MAIL_MAX_ATTEMPTS, 500);
    for (let i = 0; i < MAIL_MAX_ATTEMPTS; i++) {
      await makeDue();
      await deliverDueMails();
    }
    const [row] = await readOutbox("failed@example.com");
    expect(row.status).toBe("failed");
    expect(row.attempts).toBe(MAIL_MAX_ATTEMPTS);
    expect(row.lastError).toMatch(/Service unavailable/);
    await requeueMail(row.id);
    await expect(requeueMail(row.id)).rejects.toThrow(/fehlgeschlagene/);
    expect(await deliverDueMails()).toMatchObject({ sent: 1 });
  });

  it("reclaims a mail whose worker died mid-send once its lease has expired", async () => {
    useTransport("outbox");
    const id = (await enqueueMail(database.db(), mail("lease@example.com")))!;
    await database.db().update(mailOutbox).set({ status: "sending", attempts: 1, lockedUntil: sql`now() + interval '1 minute'` }).where(eq(mailOutbox.id, id));
    expect(await deliverDueMails()).toMatchObject({ sent: 0 });
    await database.db().update(mailOutbox).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(mailOutbox.id, id));
    expect(await deliverDueMails()).toMatchObject({ sent: 1 });
  });

  it("backs off exponentially up to an hour", () => {
    expect([1, 2, 3, 4].map(backoffSeconds)).toEqual([30, 60, 120, 240]);
    expect(backoffSeconds(20)).toBe(3600);
  });
});
