/**
 * A crash inside the dunning run's suspension (or its lifting) leaves all of it or
 * nothing: the instance command joins the run's transaction, so a failing statement
 * after the suspension (simulated by a trigger that raises) rolls the suspension back
 * too, and the next run does the whole step again.
 */
import { todayIsoDate } from "@/lib/time";
import { and, eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activityLog, billing, billingSettings, dunningNotices, dunningSuspensions, instances, invoicePayments, invoices, mailOutbox } from "@/db/schema";
import { systemActor } from "@/lib/activity";
import { useFixedClock } from "@/lib/billing/clock";
import { executeBillingRun } from "@/lib/billing/run";
import { openInvoices } from "@/lib/dunning/invoices";
import { runDunning } from "@/lib/dunning/run";
import { recordPayment } from "@/lib/invoices/commands";

import { useTestDatabase } from "../helpers/db";

const database = useTestDatabase({ seedAt: "2026-12-04T10:00:00Z" }); // fixed seed day: this file fixes the billing clock too
let clock: ReturnType<typeof useFixedClock>;
let acme: { id: number; invoiceId: number; grossCents: number };

/** Day `n` after the due date 2027-01-17, 08:00 Berlin. */
function dueDay(n: number) {
  const d = new Date(Date.UTC(2027, 0, 17 + n, 7, 0, 0));
  clock.set(d);
  return d;
}

async function crashOn(table: string, event: "insert" | "delete") {
  const db = database.db();
  await db.execute(sql.raw(`create or replace function test_crash() returns trigger language plpgsql as $$ begin raise exception 'test: crash'; end $$`));
  await db.execute(sql.raw(`create trigger test_crash before ${event} on ${table} for each row execute function test_crash()`));
  return () => db.execute(sql.raw(`drop trigger test_crash on ${table}`));
}

async function state() {
  const db = database.db();
  const [row] = await db.select().from(instances).where(eq(instances.id, acme.id));
  const [bill] = await db.select().from(billing).where(eq(billing.instanceId, acme.id));
  const activity = await db.select({ action: activityLog.action }).from(activityLog).where(eq(activityLog.instanceId, acme.id));
  const notices = await db.select().from(dunningNotices).where(and(eq(dunningNotices.invoiceId, acme.invoiceId), eq(dunningNotices.stage, "suspension")));
  const owned = await db.select().from(dunningSuspensions).where(eq(dunningSuspensions.instanceId, acme.id));
  const mails = (await db.select({ subject: mailOutbox.subject }).from(mailOutbox).where(eq(mailOutbox.to, "admin@firma.de"))).map((m) => m.subject);
  return {
    suspended: row!.suspended,
    billingStatus: bill!.status,
    suspendedLogged: activity.filter((a) => a.action === "instance.suspended").length,
    reactivatedLogged: activity.filter((a) => a.action === "instance.reactivated").length,
    suspensionNotices: notices.length,
    owned: owned.length,
    suspendedMails: mails.filter((s) => s.startsWith("Ihre Instanz wurde gesperrt")).length,
    reactivatedMails: mails.filter((s) => s.startsWith("Ihre Instanz ist wieder freigeschaltet")).length,
  };
}

beforeAll(async () => {
  const db = database.db();
  for (const open of await openInvoices(db)) {
    await db.insert(invoicePayments).values({ invoiceId: open.id, paymentDate: open.invoiceDate!, amountCents: open.openCents, method: "bank_transfer" });
  }
  await db.update(billing).set({ status: "active", trialEndsAt: null, monthlyPriceCents: null });
  await db.insert(billingSettings).values({ id: 1, billingDay: 3, autoIssue: true, billSuspended: true });
  clock = useFixedClock("2027-01-03T07:00:00Z");
  const [instance] = await db.select({ id: instances.id }).from(instances).where(eq(instances.name, "acme"));
  // The demo's draft licence for January covers acme: staff decide to bill the month by the run.
  await executeBillingRun(systemActor("billing"), { period: "2027-01", decisions: { [instance!.id]: "bill" } });
  const [invoice] = await db.select().from(invoices).where(and(like(invoices.title, "Abrechnung %"), eq(invoices.instanceId, instance!.id)));
  acme = { id: instance!.id, invoiceId: invoice!.id, grossCents: invoice!.grossCents };
  // Only acme is dunned here: the other January invoices are paid.
  for (const open of await openInvoices(db)) {
    if (open.instanceId !== acme.id) {
      await db.insert(invoicePayments).values({ invoiceId: open.id, paymentDate: open.invoiceDate!, amountCents: open.openCents, method: "bank_transfer" });
    }
  }
});

afterAll(() => clock.reset());

describe("dunning suspension is one transaction", () => {
  it("a crash after suspending leaves no suspension, no entry and no mail; the next run suspends", async () => {
    const restore = await crashOn("dunning_suspensions", "insert");
    await expect(runDunning(dueDay(30))).rejects.toThrow();
    expect(await state()).toMatchObject({ suspended: false, billingStatus: "active", suspendedLogged: 0, suspensionNotices: 0, owned: 0, suspendedMails: 0 });
    await restore();

    expect((await runDunning(dueDay(30))).suspended).toEqual(["acme"]);
    expect(await state()).toMatchObject({ suspended: true, billingStatus: "past_due", suspendedLogged: 1, suspensionNotices: 1, owned: 1, suspendedMails: 1 });
  });

  it("a crash while lifting it leaves the suspension as it was; the next run lifts it and mails once", async () => {
    dueDay(32);
    await recordPayment(systemActor("billing"), { invoiceId: acme.invoiceId, amount: acme.grossCents, payment_date: todayIsoDate(), method: "bank_transfer", reference: null });
    const restore = await crashOn("dunning_suspensions", "delete");
    await expect(runDunning(dueDay(32))).rejects.toThrow();
    expect(await state()).toMatchObject({ suspended: true, billingStatus: "past_due", reactivatedLogged: 0, owned: 1, reactivatedMails: 0 });
    await restore();

    expect((await runDunning(dueDay(32))).reactivated).toEqual(["acme"]);
    expect(await state()).toMatchObject({ suspended: false, billingStatus: "active", reactivatedLogged: 1, owned: 0, reactivatedMails: 1 });
  });
});
