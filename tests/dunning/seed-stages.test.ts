/**
 * The demo starts with a customer in each dunning stage (seed option `dunningStages`, on for the demo and
 * the browser tests): on the seed's clock each one stands in its stage with the history the daily run
 * would have written, the suspended one is dunning's own (a payment lifts it and mails the customer),
 * and seeding twice adds nothing. (Without the option the seed is the three base customers: the counting tests, e.g.
 * tests/admin/instances.test.ts, run on it.)
 */
import { and, count, eq, inArray, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as pay } from "@/app/api/manage/admin/invoices/[id]/payments/route";
import { activityLog, dunningNotices, instances, invoices, mailOutbox } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { DUNNING_STAGE_CUSTOMERS } from "@/db/seed-dunning";
import { useFixedClock } from "@/lib/billing/clock";
import { openInvoices } from "@/lib/dunning/invoices";
import { dunningOutlook } from "@/lib/dunning/outlook";
import { paymentInfo } from "@/lib/dunning/payment-info";
import { runDunning } from "@/lib/dunning/run";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { loginAs } from "../invoices/helpers";

// A fixed day in the past (a payment may not lie in the future): nothing below depends on when the test runs.
const NOW = "2025-06-18T09:00:00Z";
const TODAY = "2025-06-18";
const clock = useFixedClock(NOW);
afterAll(() => clock.reset());

const database = useTestDatabase({ seed: false });
const db = () => database.db();
const names = DUNNING_STAGE_CUSTOMERS.map((c) => c.name);

async function tableCounts() {
  const [[i], [n], [a], [inv]] = await Promise.all([
    db().select({ c: count() }).from(instances),
    db().select({ c: count() }).from(dunningNotices),
    db().select({ c: count() }).from(activityLog),
    db().select({ c: count() }).from(invoices),
  ]);
  return { instances: i!.c, notices: n!.c, activity: a!.c, invoices: inv!.c };
}

beforeAll(async () => {
  await seedDemoData(db(), { now: new Date(NOW), dunningStages: true });
});

describe("demo customers in every dunning stage", () => {
  it("has one customer per stage: reminder, 1st dunning, 2nd dunning, suspension", () => {
    expect(DUNNING_STAGE_CUSTOMERS.map((c) => c.stage)).toEqual(["reminder", "dunning_1", "dunning_2", "suspension"]);
  });

  it("puts each customer in its stage on the seed's clock, with the next step the run will take", async () => {
    const rows = await db().select().from(instances).where(inArray(instances.name, names));
    const expected = {
      falkenstein: { stage: "Zahlungserinnerung", next: "1. Mahnung" },
      hafenblick: { stage: "1. Mahnung", next: "2. Mahnung" },
      weidenhof: { stage: "2. Mahnung", next: "Sperre" },
      sonnental: { stage: "Sperre", next: null },
    } as const;
    for (const c of DUNNING_STAGE_CUSTOMERS) {
      const row = rows.find((r) => r.name === c.name)!;
      const outlook = await dunningOutlook(db(), row.id, TODAY);
      expect(outlook.current_stage, c.name).toBe(c.stage);
      expect(outlook.current_stage_label, c.name).toBe(expected[c.name as keyof typeof expected].stage);
      expect(outlook.next_step?.stage_label ?? null, c.name).toBe(expected[c.name as keyof typeof expected].next);
      if (outlook.next_step) expect(outlook.next_step.date > TODAY, `${c.name}: the next step lies ahead`).toBe(true);
      expect(outlook.overdue_invoices).toHaveLength(1);
    }
  });

  it("writes the history as the run would have: every stage reached on its own day, with its activity entry", async () => {
    const [weidenhof] = await db().select().from(instances).where(eq(instances.name, "weidenhof"));
    const notices = await db().select().from(dunningNotices).where(eq(dunningNotices.instanceId, weidenhof!.id)).orderBy(dunningNotices.noticeDate);
    expect(notices.map((n) => n.stage)).toEqual(["reminder", "dunning_1", "dunning_2"]);
    const [open] = await openInvoices(db(), { instanceId: weidenhof!.id });
    expect(notices.map((n) => n.noticeDate)).toEqual(["7", "14", "21"].map((d) => new Date(Date.parse(`${open!.dueDate}T00:00:00Z`) + Number(d) * 86_400_000).toISOString().slice(0, 10)));
    const entries = await db().select().from(activityLog).where(and(eq(activityLog.instanceId, weidenhof!.id), like(activityLog.action, "dunning.%")));
    expect(entries.map((e) => e.action).sort()).toEqual(["dunning.dunning_1_sent", "dunning.dunning_2_sent", "dunning.reminder_sent"]);
    expect(entries.every((e) => e.actorType === "system" && e.actorName === "System (Mahnwesen)")).toBe(true);
    expect(entries.find((e) => e.action === "dunning.dunning_2_sent")!.description).toBe(`2. Mahnung zu Rechnung ${open!.invoiceNumber} versendet (offen: 34,51 €)`);
  });

  it("suspends the last customer by dunning: reason, past due, and a suspension a payment lifts", async () => {
    const [sonnental] = await db().select().from(instances).where(eq(instances.name, "sonnental"));
    expect(sonnental).toMatchObject({ suspended: true, suspendedReason: "Offene Rechnungen seit über 30 Tagen" });
    expect(sonnental!.suspendedAt!.getTime()).toBeLessThan(Date.parse(NOW));
    const payment = await paymentInfo(sonnental!.id, { pdfLinks: true });
    expect(payment.lifted_on_payment).toBe(true);
    expect(payment.open_invoices).toHaveLength(1);
    expect(payment.open_invoices[0]!.pdf_download?.url).toMatch(/^\/api\/files\/invoices\/\d+\.pdf\?/);
  });

  it("is what the daily run finds settled: a run on the seed's day sends nothing to the stage customers", async () => {
    const result = await runDunning(new Date(NOW));
    const [sent] = await db().select({ c: count() }).from(dunningNotices).where(inArray(dunningNotices.instanceId, (await db().select({ id: instances.id }).from(instances).where(inArray(instances.name, names))).map((r) => r.id)));
    expect(sent!.c).toBe(1 + 2 + 3 + 4);
    const stageInvoices = new Set((await Promise.all(names.map(async (name) => {
      const [row] = await db().select({ id: instances.id }).from(instances).where(eq(instances.name, name));
      return (await openInvoices(db(), { instanceId: row!.id })).map((o) => o.invoiceNumber);
    }))).flat());
    expect(result.notices.filter((n) => stageInvoices.has(n.invoice_number))).toEqual([]);
    expect(result.suspended.filter((n) => names.includes(n))).toEqual([]);
  });

  it("adds nothing when seeded again", async () => {
    const before = await tableCounts();
    await seedDemoData(db(), { now: new Date(NOW), dunningStages: true });
    expect(await tableCounts()).toEqual(before);
  });

  it("lifts the seeded suspension once its invoice is paid, and mails the customer", async () => {
    const staff = await loginAs("msp-admin@myit.center");
    const [sonnental] = await db().select().from(instances).where(eq(instances.name, "sonnental"));
    const [open] = await openInvoices(db(), { instanceId: sonnental!.id });
    const res = await call(pay, "POST", `/api/manage/admin/invoices/${open!.id}/payments`, {
      token: staff,
      body: { amount: (open!.openCents / 100).toFixed(2), payment_date: TODAY, method: "bank_transfer" },
      params: { id: String(open!.id) },
      headers: { origin: "http://localhost:3000" },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const [after] = await db().select().from(instances).where(eq(instances.id, sonnental!.id));
    expect(after!.suspended).toBe(false);
    const mails = await db().select().from(mailOutbox).where(and(eq(mailOutbox.to, "buchhaltung@sonnental-reisen.de"), like(mailOutbox.subject, "Ihre Instanz ist wieder freigeschaltet%")));
    expect(mails).toHaveLength(1);
  });
});
