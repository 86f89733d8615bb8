/**
 * The demo data and the billing runs on one injected calendar, from several days of the year: a month
 * end, New Year's Eve (late in the evening, which is already 1 January in Berlin) and a leap day. The
 * demo is seeded at that moment and the next twelve monthly runs follow it, so whatever day the suite
 * runs on, these calendars are the ones tested.
 */
import { addDays, todayIsoDate } from "@/lib/time";
import { asc, gt, isNotNull, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billing, billingSettings, instances, invoices } from "@/db/schema";
import { useFixedClock } from "@/lib/billing/clock";
import { runScheduledBilling } from "@/lib/jobs/billing";
import { executeBillingRun } from "@/lib/billing/run";
import { systemActor } from "@/lib/activity";

import { useTestDatabase } from "../helpers/db";

function firstOfFollowingMonths(today: string, count: number) {
  const [y, m] = today.split("-").map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => new Date(Date.UTC(y, m + i, 1)).toISOString().slice(0, 10));
}

describe.each([
  { label: "a month end", seedAt: "2026-11-30T10:00:00Z" },
  { label: "31 December, late evening (1 January in Berlin)", seedAt: "2026-12-31T23:30:00Z" },
  { label: "29 February", seedAt: "2028-02-29T09:00:00Z" },
])("seeded on $label ($seedAt), then twelve monthly runs", ({ seedAt }) => {
  const database = useTestDatabase({ seedAt });
  let clock: ReturnType<typeof useFixedClock>;
  const seedDay = todayIsoDate(new Date(seedAt));
  const months = firstOfFollowingMonths(seedDay, 12);

  beforeAll(async () => {
    const db = database.db();
    await db.update(billing).set({ status: "active", trialEndsAt: null });
    await db.insert(billingSettings).values({ id: 1, billingDay: 1, autoIssue: true, billSuspended: true });
    clock = useFixedClock(seedAt);
  });
  afterAll(() => clock.reset());

  it("the demo's invoices lie on the seed calendar: none dated after the seed day, overdue ones stay overdue", async () => {
    const db = database.db();
    const issued = await db.select().from(invoices).where(isNotNull(invoices.invoiceDate));
    expect(issued.length).toBeGreaterThan(0);
    expect(issued.every((i) => i.invoiceDate! <= seedDay)).toBe(true);
    expect(issued.some((i) => i.dueDate! < seedDay)).toBe(true);
    // the one draft is next month's licence
    const drafts = await db.select().from(invoices).where(gt(invoices.servicePeriodStart, seedDay));
    expect(drafts.map((d) => d.servicePeriodStart)).toEqual([months[0]]);
  });

  it("every run bills each instance once per month, numbers are gap-free per year", async () => {
    const db = database.db();
    const ids = Object.fromEntries((await db.select({ id: instances.id, name: instances.name }).from(instances)).map((r) => [r.name, r.id]));
    for (const [index, month] of months.entries()) {
      clock.set(`${month}T07:00:00Z`);
      const outcome = await runScheduledBilling();
      expect(outcome.skipped).toBe(false);
      if (outcome.skipped) continue;
      if (index === 0) {
        // The demo's draft licence for this month covers acme: never billed twice, staff decide (here: the draft counts).
        expect(outcome.result).toMatchObject({ invoice_count: 2, issued_count: 2, issue_failed_count: 0, conflict_count: 1 });
        expect(await executeBillingRun(systemActor("billing"), { period: month.slice(0, 7), decisions: { [ids.acme!]: "skip" } })).toMatchObject({ invoice_count: 0, conflict_count: 0 });
      } else {
        expect(outcome.result).toMatchObject({ invoice_count: 3, issued_count: 3, issue_failed_count: 0, conflict_count: 0 });
      }
    }
    const runs = await db.select().from(invoices).where(like(invoices.title, "Abrechnung %")).orderBy(asc(invoices.servicePeriodStart));
    expect(runs).toHaveLength(35);
    for (const [name, id] of Object.entries(ids)) {
      expect(runs.filter((i) => i.instanceId === id).map((i) => i.servicePeriodStart)).toEqual(name === "acme" ? months.slice(1) : months);
    }
    for (const run of runs) expect(run.servicePeriodEnd).toBe(addDays(firstOfFollowingMonths(run.servicePeriodStart, 1)[0]!, -1));

    const numbered = await db.select({ number: invoices.invoiceNumber }).from(invoices).where(isNotNull(invoices.invoiceNumber));
    const byYear = new Map<string, number[]>();
    for (const { number } of numbered) {
      const [, year, seq] = /^RE-(\d{4})-(\d{4})$/.exec(number!)!;
      byYear.set(year!, [...(byYear.get(year!) ?? []), Number(seq)]);
    }
    for (const seqs of byYear.values()) expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  }, 180_000);
});
