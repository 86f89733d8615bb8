/**
 * Billing runs on the database over a simulated year (the billing clock is
 * fixed and moved by the test). Runs on PGlite by default and on the
 * PostgreSQL of DATABASE_URL, where the concurrent run really is concurrent.
 */
import { and, asc, eq, gte, inArray, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activityLog, billing, billingPeriods, billingSettings, instances, invoiceItems, invoices } from "@/db/schema";
import { systemActor } from "@/lib/activity";
import { useFixedClock } from "@/lib/billing/clock";
import { billingRunJob, runScheduledBilling } from "@/lib/jobs/billing";
import { recordTierChange } from "@/lib/billing/plan";
import { updateInstance } from "@/lib/admin/instances";
import { updateInstanceSchema } from "@/lib/admin/schemas";
import { users } from "@/db/schema";
import { userActor } from "@/lib/activity";
import { executeBillingRun, previewBillingRun } from "@/lib/billing/run";
import { uniqueViolation } from "@/db/errors";
import { useTestDatabase, usingPostgres } from "../helpers/db";

// Seeded on the last day of the year before the simulated one: the demo then holds a draft for January
// 2027, as it did when this test first broke with the calendar. tests/billing/calendar.test.ts runs the
// year from other seed dates.
const database = useTestDatabase({ seedAt: "2026-12-31T12:00:00Z" });
const actor = systemActor("billing");
let clock: ReturnType<typeof useFixedClock>;
let ids: Record<string, number>;

async function invoicesOf(periodStart: string) {
  return database
    .db()
    .select()
    .from(invoices)
    .where(and(eq(invoices.servicePeriodEnd, lastDay(periodStart)), like(invoices.title, "Abrechnung %")))
    .orderBy(asc(invoices.id));
}

function lastDay(periodStart: string) {
  const d = new Date(`${periodStart}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

async function setBilling(name: string, values: Partial<typeof billing.$inferInsert>) {
  await database.db().update(billing).set(values).where(eq(billing.instanceId, ids[name]!));
}

beforeAll(async () => {
  const db = database.db();
  const rows = await db.select({ id: instances.id, name: instances.name }).from(instances);
  ids = Object.fromEntries(rows.map((r) => [r.name, r.id]));
  expect(Object.keys(ids).sort()).toEqual(["acme", "bergmann", "nordlicht"]);
  await db.update(billing).set({ status: "active", trialEndsAt: null, monthlyPriceCents: null });
  await db.insert(billingSettings).values({ id: 1, billingDay: 3, autoIssue: true, billSuspended: true });
  clock = useFixedClock("2027-01-01T08:00:00Z");
});

afterAll(() => clock.reset());

describe("a simulated year", () => {
  it("waits for the billing day, then 12 runs give exactly 12 invoices per instance with gapless numbers", async () => {
    expect(await runScheduledBilling()).toEqual({ skipped: true, reason: "before_billing_day" });
    // The demo holds a manual draft "Monatliche Lizenz Januar 2027" for acme: January is a conflict the
    // scheduled run leaves to staff, and staff decide the draft bills it (acme gets 11 run invoices).
    clock.set("2027-01-03T07:00:00Z");
    const january = await runScheduledBilling();
    if (january.skipped) throw new Error("January was skipped");
    expect(january.result).toMatchObject({ invoice_count: 2, issued_count: 2, conflict_count: 1 });
    const preview = await previewBillingRun("2027-01");
    expect(preview.invoices.map((i) => [i.instance_name, i.conflicts.map((c) => c.title)])).toEqual([["acme", ["Monatliche Lizenz Januar 2027"]]]);
    expect(await executeBillingRun(actor, { period: "2027-01", decisions: { [ids.acme!]: "skip" } })).toMatchObject({ invoice_count: 0, conflict_count: 0 });
    expect((await previewBillingRun("2027-01")).invoices).toEqual([]);
    for (let month = 2; month <= 12; month++) {
      clock.set(`2027-${String(month).padStart(2, "0")}-03T07:00:00Z`);
      const outcome = await runScheduledBilling();
      expect(outcome.skipped).toBe(false);
      if (!outcome.skipped) expect(outcome.result).toMatchObject({ invoice_count: 3, issued_count: 3, issue_failed_count: 0 });
    }
    const db = database.db();
    const year = await db
      .select()
      .from(invoices)
      .where(and(gte(invoices.servicePeriodStart, "2027-01-01"), like(invoices.title, "Abrechnung %")))
      .orderBy(asc(invoices.invoiceNumber));
    expect(year).toHaveLength(35);
    for (const [name, id] of Object.entries(ids)) {
      const own = year.filter((i) => i.instanceId === id);
      const months = name === "acme" ? 11 : 12;
      expect(own).toHaveLength(months);
      expect(new Set(own.map((i) => i.servicePeriodStart)).size).toBe(months);
    }
    expect(year.map((i) => i.invoiceNumber)).toEqual(Array.from({ length: 35 }, (_, i) => `RE-2027-${String(i + 1).padStart(4, "0")}`));
    expect(year.every((i) => i.issuedAt && i.pdf && i.invoiceDate?.startsWith("2027-") && i.invoiceDate.endsWith("-03"))).toBe(true);
    // tier prices: acme standard 49 €, bergmann professional 99 €, nordlicht starter 29 € (suspended, still billed)
    const nets = Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, year.filter((i) => i.instanceId === id).map((i) => i.netCents)]));
    expect(nets).toEqual({ acme: Array(11).fill(4900), bergmann: Array(12).fill(9900), nordlicht: Array(12).fill(2900) });
    // VAT follows the billing profile: nordlicht (Vienna) is billed under reverse charge.
    const gross = Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, year.find((i) => i.instanceId === id)!.grossCents]));
    expect(gross).toEqual({ acme: 5831, bergmann: 11781, nordlicht: 2900 });
    const february = year.find((i) => i.instanceId === ids.acme && i.servicePeriodStart === "2027-02-01")!;
    expect(february.servicePeriodEnd).toBe("2027-02-28");
    const [item] = await db.select().from(invoiceItems).where(eq(invoiceItems.invoiceId, february.id));
    expect(item!.description).toBe("Tarif Standard (Februar 2027)");
    const logged = await db.select().from(activityLog).where(eq(activityLog.action, "billing.invoice_created"));
    expect(logged).toHaveLength(35);
    expect(await db.select().from(activityLog).where(eq(activityLog.action, "billing.conflict_skipped"))).toHaveLength(1);
    expect(logged.every((l) => l.actorName === "System (Abrechnung)" && l.actorType === "system")).toBe(true);
  }, 120_000);

  it("a repeated run bills nothing twice", async () => {
    const again = await executeBillingRun(actor, { period: "2027-12" });
    expect(again).toMatchObject({ invoice_count: 0, issued_count: 0, net_total_label: "0,00 €" });
    expect(await invoicesOf("2027-12-01")).toHaveLength(3);
    expect((await previewBillingRun("2027-12")).invoice_count).toBe(0);
    // the job with an explicit period (a retry of December's job) neither
    expect(await billingRunJob.handler({ period: "2027-12" })).toMatchObject({ skipped: false, result: { invoice_count: 0 } });
    expect(await invoicesOf("2027-12-01")).toHaveLength(3);
  });

  it("the period key is a database rule, not a check in code", async () => {
    const [claim] = await database.db().select().from(billingPeriods).where(eq(billingPeriods.periodStart, "2027-12-01")).limit(1);
    const error = await database
      .db()
      .insert(billingPeriods)
      .values({ instanceId: claim!.instanceId, periodStart: "2027-12-01", periodEnd: "2027-12-31" })
      .then(() => null, (e: unknown) => e);
    expect(uniqueViolation(error)).not.toBeNull();
  });
});

describe("concurrent and interrupted runs", () => {
  it(`two runs at once give no duplicate (${usingPostgres ? "concurrent on PostgreSQL" : "sequential on PGlite"})`, async () => {
    clock.set("2028-01-03T07:00:00Z");
    const results = usingPostgres
      ? await Promise.all([executeBillingRun(actor, { period: "2028-01" }), executeBillingRun(actor, { period: "2028-01" })])
      : [await executeBillingRun(actor, { period: "2028-01" }), await executeBillingRun(actor, { period: "2028-01" })];
    expect(results[0]!.invoice_count + results[1]!.invoice_count).toBe(3);
    const created = await invoicesOf("2028-01-01");
    expect(created).toHaveLength(3);
    expect(new Set(created.map((i) => i.instanceId)).size).toBe(3);
    expect(created.map((i) => i.invoiceNumber).sort()).toEqual(["RE-2028-0001", "RE-2028-0002", "RE-2028-0003"]);
  });

  it("drafts left unissued (review mode or a crash before issuing) are issued by the next run, once", async () => {
    const db = database.db();
    await db.update(billingSettings).set({ autoIssue: false });
    clock.set("2028-02-03T07:00:00Z");
    const drafts = await executeBillingRun(actor, { period: "2028-02" });
    expect(drafts).toMatchObject({ invoice_count: 3, issued_count: 0 });
    expect((await invoicesOf("2028-02-01")).every((i) => i.issuedAt === null)).toBe(true);
    await db.update(billingSettings).set({ autoIssue: true });
    const issued = await executeBillingRun(actor, { period: "2028-02" });
    expect(issued).toMatchObject({ invoice_count: 0, issued_count: 3 });
    const feb = await invoicesOf("2028-02-01");
    expect(feb.map((i) => i.invoiceNumber).sort()).toEqual(["RE-2028-0004", "RE-2028-0005", "RE-2028-0006"]);
  });

  it("a run that fails inside an instance's transaction leaves neither claim nor draft", async () => {
    const db = database.db();
    // make the draft insert fail for one instance: an invoice title check the run violates
    await db.execute(sql`ALTER TABLE invoices ADD CONSTRAINT test_no_march CHECK (title <> 'Abrechnung März 2028')`);
    clock.set("2028-03-03T07:00:00Z");
    await expect(executeBillingRun(actor, { period: "2028-03" })).rejects.toThrow();
    await db.execute(sql`ALTER TABLE invoices DROP CONSTRAINT test_no_march`);
    expect(await db.select().from(billingPeriods).where(eq(billingPeriods.periodStart, "2028-03-01"))).toHaveLength(0);
    expect(await invoicesOf("2028-03-01")).toHaveLength(0);
    const retry = await executeBillingRun(actor, { period: "2028-03" });
    expect(retry.invoice_count).toBe(3);
    expect(await invoicesOf("2028-03-01")).toHaveLength(3);
  });
});

describe("trial, cancellation, suspension", () => {
  it("bills a trial pro rata from the day after it ends, skips cancelled and (by setting) suspended instances", async () => {
    const db = database.db();
    await setBilling("acme", { status: "trial", trialEndsAt: "2028-04-14" });
    await setBilling("bergmann", { status: "cancelled" });
    await db.update(billingSettings).set({ billSuspended: false });
    clock.set("2028-04-03T07:00:00Z");
    const preview = await previewBillingRun("2028-04");
    // acme: standard 49 € for 16 of 30 days = 2613,33 ct → 26,13 €
    expect(preview).toMatchObject({ period_label: "April 2028", invoice_count: 1, net_total_cents: 2613, net_total_label: "26,13 €", summary_label: "Rechnungslauf April 2028: 1 Rechnung, 26,13 € netto" });
    const run = await executeBillingRun(actor, { period: "2028-04" });
    expect(run.invoice_count).toBe(1);
    const [acme] = await invoicesOf("2028-04-01");
    expect(acme).toMatchObject({ instanceId: ids.acme, netCents: 2613, servicePeriodStart: "2028-04-15", servicePeriodEnd: "2028-04-30" });
    const [line] = await db.select().from(invoiceItems).where(eq(invoiceItems.invoiceId, acme!.id));
    expect(line!.description).toBe("Tarif Standard anteilig 15.04.2028–30.04.2028 (16 von 30 Tagen)");
  });

  it("reactivation bills the suspended instance once, however often the run repeats", async () => {
    const db = database.db();
    await db.update(instances).set({ suspended: false }).where(eq(instances.id, ids.nordlicht!));
    await executeBillingRun(actor, { period: "2028-04" });
    await executeBillingRun(actor, { period: "2028-04" });
    const april = await invoicesOf("2028-04-01");
    expect(april.filter((i) => i.instanceId === ids.nordlicht)).toHaveLength(1);
    expect(april.filter((i) => i.instanceId === ids.bergmann)).toHaveLength(0);
    expect(april).toHaveLength(2);
  });

  it("a tier change mid-period is charged pro rata, one line per tier", async () => {
    const db = database.db();
    await setBilling("acme", { status: "active" });
    await db.transaction(async (tx) => {
      await recordTierChange(tx, ids.acme!, "standard", "professional", "2028-05-11");
      await tx.update(instances).set({ pricingTier: "professional" }).where(eq(instances.id, ids.acme!));
    });
    clock.set("2028-05-03T07:00:00Z");
    await executeBillingRun(actor, { period: "2028-05" });
    const [acme] = (await invoicesOf("2028-05-01")).filter((i) => i.instanceId === ids.acme);
    const lines = await db.select().from(invoiceItems).where(inArray(invoiceItems.invoiceId, [acme!.id])).orderBy(asc(invoiceItems.position));
    // 4900 × 10/31 = 1580,65 → 1581; 9900 × 21/31 = 6706,45 → 6706
    expect(lines.map((l) => [l.description, l.netCents])).toEqual([
      ["Tarif Standard anteilig 01.05.2028–10.05.2028 (10 von 31 Tagen)", 1581],
      ["Tarif Professional anteilig 11.05.2028–31.05.2028 (21 von 31 Tagen)", 6706],
    ]);
    expect(acme!.netCents).toBe(8287);
    expect(acme!.vatCents).toBe(1575); // 8287 × 19 % = 1574,53
  });

  it("a tier change made by staff is recorded for billing: the month is split on the day of the change", async () => {
    const db = database.db();
    const [staff] = await db.select().from(users).where(eq(users.email, "msp-admin@myit.center"));
    const staffActor = userActor({ userId: staff!.id, name: staff!.name, staff: true }, "203.0.113.9");
    clock.set("2028-08-02T09:00:00Z");
    await updateInstance(staffActor, { ...updateInstanceSchema.parse({ pricing_tier: "starter" }), instanceId: ids.acme! });
    clock.set("2028-08-03T07:00:00Z");
    await executeBillingRun(actor, { period: "2028-08" });
    const [acme] = (await invoicesOf("2028-08-01")).filter((i) => i.instanceId === ids.acme);
    const lines = await db.select().from(invoiceItems).where(eq(invoiceItems.invoiceId, acme!.id)).orderBy(asc(invoiceItems.position));
    // Professional 9900 × 1/31 = 319,35 → 319; Starter 2900 × 30/31 = 2806,45 → 2806
    expect(lines.map((l) => [l.description, l.netCents])).toEqual([
      ["Tarif Professional anteilig 01.08.2028–01.08.2028 (1 von 31 Tagen)", 319],
      ["Tarif Starter anteilig 02.08.2028–31.08.2028 (30 von 31 Tagen)", 2806],
    ]);
  });
});
