/**
 * Dunning over simulated weeks on the database (the billing clock is fixed
 * and moved by the test; PGlite by default, PostgreSQL with DATABASE_URL):
 * a late payer goes through reminder (+7), 1st dunning (+14), 2nd dunning
 * with fee (+21) and suspension (+30), pays by bank transfer (CAMT import)
 * and is reactivated; a payment stops dunning, a pause stops it, a manual
 * suspension is never lifted, and repeated runs mail nothing twice.
 */
import { todayIsoDate } from "@/lib/time";
import { and, asc, eq, inArray, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as resumeRoute, GET as pauseState, PUT as pauseRoute } from "@/app/api/manage/admin/instances/[id]/dunning-pause/route";
import { GET as settingsGet, PUT as settingsPut } from "@/app/api/manage/admin/dunning/settings/route";
import { GET as statusRoute } from "@/app/api/manage/status/route";
import { activityLog, billing, billingSettings, dunningNotices, dunningSuspensions, instances, invoicePayments, invoices, mailOutbox } from "@/db/schema";
import { systemActor } from "@/lib/activity";
import { useFixedClock } from "@/lib/billing/clock";
import { executeBillingRun } from "@/lib/billing/run";
import { openInvoices } from "@/lib/dunning/invoices";
import { dunningJob } from "@/lib/jobs/dunning";
import { runDunning } from "@/lib/dunning/run";
import { reactivateInstance, suspendInstance } from "@/lib/instances/commands";
import { recordPayment } from "@/lib/invoices/commands";

import { importBankStatement } from "@/lib/payments/import";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { loginAs } from "../invoices/helpers";
import { camtStatement } from "./camt";

const database = useTestDatabase({ seedAt: "2026-12-04T10:00:00Z" }); // fixed seed day: this file fixes the billing clock too
const origin = { origin: "http://localhost:3000" };
const ADMINS = { acme: "admin@firma.de", bergmann: "it@bergmann-logistik.de", nordlicht: "info@nordlicht-design.de" } as const;
type Name = keyof typeof ADMINS;

let clock: ReturnType<typeof useFixedClock>;
let ids: Record<Name, number>;
let invoiceOf: Record<Name, { id: number; number: string; grossCents: number }>;
let staff: string;

/** Day `n` after the due date 2027-01-17, 08:00 Berlin. */
function dueDay(n: number) {
  const d = new Date(Date.UTC(2027, 0, 17 + n, 7, 0, 0));
  clock.set(d);
  return d;
}

/** Dunning mails (not invoice mails) to an instance's admin, oldest first. */
async function dunningMails(name: Name) {
  const rows = await database.db().select().from(mailOutbox).where(eq(mailOutbox.to, ADMINS[name])).orderBy(asc(mailOutbox.id));
  return rows.filter((m) => !m.subject.startsWith("Rechnung "));
}

const subjects = async (name: Name) => (await dunningMails(name)).map((m) => m.subject.split(":")[0]!.split(" – ")[0]);

async function instanceRow(name: Name) {
  const [row] = await database.db().select().from(instances).where(eq(instances.id, ids[name]));
  const [bill] = await database.db().select().from(billing).where(eq(billing.instanceId, ids[name]));
  return { ...row!, billingStatus: bill!.status };
}

beforeAll(async () => {
  const db = database.db();
  const rows = await db.select({ id: instances.id, name: instances.name }).from(instances);
  ids = Object.fromEntries(rows.map((r) => [r.name, r.id])) as Record<Name, number>;
  // The seeded demo invoices are settled, so only the simulated January invoices are open.
  for (const open of await openInvoices(db)) {
    await db.insert(invoicePayments).values({ invoiceId: open.id, paymentDate: open.invoiceDate!, amountCents: open.openCents, method: "bank_transfer" });
  }
  await db.update(billing).set({ status: "active", trialEndsAt: null, monthlyPriceCents: null });
  await db.insert(billingSettings).values({ id: 1, billingDay: 3, autoIssue: true, billSuspended: true });
  clock = useFixedClock("2027-01-03T07:00:00Z");
  // acme's demo draft for January covers the month; staff decide to bill January by the run anyway.
  expect(await executeBillingRun(systemActor("billing"), { period: "2027-01", decisions: { [ids.acme]: "bill" } })).toMatchObject({ invoice_count: 3, issued_count: 3 });
  const january = await db.select().from(invoices).where(like(invoices.title, "Abrechnung %"));
  invoiceOf = Object.fromEntries(
    (Object.keys(ADMINS) as Name[]).map((name) => {
      const row = january.find((i) => i.instanceId === ids[name])!;
      expect(row.dueDate).toBe("2027-01-17");
      return [name, { id: row.id, number: row.invoiceNumber!, grossCents: row.grossCents }];
    }),
  ) as typeof invoiceOf;
  staff = await loginAs("msp-admin@myit.center");
});

afterAll(() => clock.reset());

describe("a late payer", () => {
  it("gets nothing before the reminder day", async () => {
    expect((await runDunning(dueDay(6))).notices).toEqual([]);
    expect(await subjects("acme")).toEqual([]);
  });

  it("gets a payment reminder at +7 with the letter and the open invoice attached", async () => {
    const result = await runDunning(dueDay(7));
    expect(result.notices.map((n) => n.stage)).toEqual(["reminder", "reminder", "reminder"]);
    const [mail] = await dunningMails("acme");
    expect(mail!.subject).toBe("Zahlungserinnerung: offene Rechnungen – MyIT Center GmbH");
    expect(mail!.text).toContain(`${invoiceOf.acme.number}, fällig am 17.01.2027`);
    const files = mail!.attachments!;
    expect(files.map((f) => f.filename)).toEqual([`Zahlungserinnerung-${invoiceOf.acme.number}.pdf`, `${invoiceOf.acme.number}.pdf`]);
    for (const f of files) {
      expect(f.contentType).toBe("application/pdf");
      expect(Buffer.from(f.content!, "base64").subarray(0, 5).toString()).toBe("%PDF-");
    }
    const [logged] = await database
      .db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.action, "dunning.reminder_sent"), eq(activityLog.instanceId, ids.acme)));
    expect(logged).toMatchObject({ actorType: "system", actorName: "System (Mahnwesen)", level: "warning" });
  });

  it("a repeated run or job retry mails nothing twice", async () => {
    expect((await runDunning(dueDay(7))).notices).toEqual([]);
    expect(await dunningJob.handler()).toMatchObject({ notices: [] });
    expect(await subjects("acme")).toEqual(["Zahlungserinnerung"]);
    expect(await database.db().select().from(dunningNotices)).toHaveLength(3);
  });

  it("a payment stops dunning and a paused instance gets nothing", async () => {
    dueDay(10);
    await recordPayment(systemActor("billing"), { invoiceId: invoiceOf.bergmann.id, amount: invoiceOf.bergmann.grossCents, payment_date: todayIsoDate(), method: "bank_transfer", reference: null });
    const customer = await loginAs(ADMINS.acme);
    const path = `/api/manage/admin/instances/${ids.nordlicht}/dunning-pause`;
    const params = { id: String(ids.nordlicht) };
    expect((await call(pauseRoute, "PUT", path, { token: customer, body: { note: "x" }, params, headers: origin })).status).toBe(403);
    const noNote = await call(pauseRoute, "PUT", path, { token: staff, body: { note: " " }, params, headers: origin });
    expect(noNote.status).toBe(422);
    expect(noNote.json.errors.note[0]).toContain("Notiz");
    const paused = await call(pauseRoute, "PUT", path, { token: staff, body: { note: "Ratenzahlung vereinbart" }, params, headers: origin });
    expect(paused.status).toBe(200);
    expect(paused.json.dunning).toMatchObject({ paused: true, note: "Ratenzahlung vereinbart", paused_by: "Sabine Krüger" });
    expect((await call(pauseRoute, "PUT", path, { token: staff, body: { note: "nochmal" }, params, headers: origin })).status).toBe(409);
    expect((await call(pauseState, "GET", "/api/manage/admin/instances/999999/dunning-pause", { token: staff, params: { id: "999999" } })).status).toBe(404);

    // +14, two runs at once: one 1st dunning letter for acme only
    const now = dueDay(14);
    const [a, b] = await Promise.all([runDunning(now), runDunning(now)]);
    expect([...a.notices, ...b.notices]).toEqual([{ invoice_number: invoiceOf.acme.number, stage: "dunning_1" }]);
    expect(await subjects("acme")).toEqual(["Zahlungserinnerung", "1. Mahnung"]);
    expect(await subjects("bergmann")).toEqual(["Zahlungserinnerung"]);
    expect(await subjects("nordlicht")).toEqual(["Zahlungserinnerung"]);
  });

  it("gets the 2nd dunning letter at +21 with the configured fee", async () => {
    const bad = await call(settingsPut, "PUT", "/api/manage/admin/dunning/settings", {
      token: staff,
      headers: origin,
      body: { enabled: true, reminder_days: 7, dunning_1_days: 7, dunning_2_days: 21, dunning_2_fee: 5, suspend_after_days: 30 },
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.errors)).toEqual(["dunning_1_days"]);
    const saved = await call(settingsPut, "PUT", "/api/manage/admin/dunning/settings", {
      token: staff,
      headers: origin,
      body: { enabled: true, reminder_days: 7, dunning_1_days: 14, dunning_2_days: 21, dunning_2_fee: 5, suspend_after_days: 30 },
    });
    expect(saved.status).toBe(200);
    expect((await call(settingsGet, "GET", "/api/manage/admin/dunning/settings", { token: staff })).json.settings).toMatchObject({ dunning_2_fee: 5, dunning_2_fee_formatted: "5,00 €" });

    expect((await runDunning(dueDay(20))).notices).toEqual([]);
    expect((await runDunning(dueDay(21))).notices).toEqual([{ invoice_number: invoiceOf.acme.number, stage: "dunning_2" }]);
    const mails = await dunningMails("acme");
    expect(mails.at(-1)!.subject.startsWith("2. Mahnung")).toBe(true);
    expect(mails.at(-1)!.text).toContain("Mahngebühr: 5,00 €");
    const [notice] = await database.db().select().from(dunningNotices).where(and(eq(dunningNotices.invoiceId, invoiceOf.acme.id), eq(dunningNotices.stage, "dunning_2")));
    expect(notice!.feeCents).toBe(500);
  });

  it("is suspended automatically at +30, by the system, with billing past_due", async () => {
    expect((await runDunning(dueDay(29))).suspended).toEqual([]);
    expect((await instanceRow("acme")).suspended).toBe(false);
    expect((await runDunning(dueDay(30))).suspended).toEqual(["acme"]); // nordlicht is paused
    const acme = await instanceRow("acme");
    expect(acme).toMatchObject({ suspended: true, suspendedReason: "Offene Rechnungen seit über 30 Tagen", billingStatus: "past_due" });
    const [logged] = await database.db().select().from(activityLog).where(and(eq(activityLog.action, "instance.suspended"), eq(activityLog.instanceId, ids.acme)));
    expect(logged).toMatchObject({ actorType: "system", actorName: "System (Mahnwesen)" });
    expect(await subjects("acme")).toEqual(["Zahlungserinnerung", "1. Mahnung", "2. Mahnung", "Ihre Instanz wurde gesperrt"]);
    expect(await subjects("nordlicht")).toEqual(["Zahlungserinnerung"]);
    expect((await runDunning(dueDay(30))).suspended).toEqual([]);
    expect(await subjects("acme")).toHaveLength(4);
  });

  it("sees on /status what to pay: open invoices, bank details and the GiroCode", async () => {
    const customer = await loginAs(ADMINS.acme);
    const res = await call(statusRoute, "GET", "/api/manage/status", { token: customer });
    expect(res.status).toBe(200);
    expect(res.json.instance).toMatchObject({ suspended: true, suspended_reason: "Offene Rechnungen seit über 30 Tagen" });
    const euros = invoiceOf.acme.grossCents / 100;
    expect(res.json.payment).toMatchObject({
      open_invoices: [{ number: invoiceOf.acme.number, amount: euros, due_date: "2027-01-17", overdue: true }],
      amount_due: euros,
      bank_details: { account_holder: "MyIT Center GmbH", iban: "DE89 3704 0044 0532 0130 00", bic: "COBADEFFXXX", bank_name: "Commerzbank Berlin" },
      lifted_on_payment: true,
    });
    const payload: string = res.json.payment.girocode.payload;
    expect(payload.split("\n")).toEqual(["BCD", "002", "1", "SCT", "COBADEFFXXX", "MyIT Center GmbH", "DE89370400440532013000", `EUR${euros.toFixed(2)}`, "", "", invoiceOf.acme.number]);
    const active = await call(statusRoute, "GET", "/api/manage/status", { token: await loginAs(ADMINS.bergmann) });
    expect(active.json.payment).toBeNull();
  });

  it("a manual suspension gets dunning after the pause ends but is never lifted", async () => {
    const params = { id: String(ids.nordlicht) };
    const resumed = await call(resumeRoute, "DELETE", `/api/manage/admin/instances/${ids.nordlicht}/dunning-pause`, { token: staff, params, headers: origin });
    expect(resumed.status).toBe(200);
    expect(resumed.json.dunning.paused).toBe(false);
    const result = await runDunning(dueDay(31));
    // the stage reached now, not the ones missed during the pause
    expect(result.notices).toEqual([{ invoice_number: invoiceOf.nordlicht.number, stage: "dunning_2" }]);
    expect(result.suspended).toEqual([]); // already suspended by staff
    expect(await subjects("nordlicht")).toEqual(["Zahlungserinnerung", "2. Mahnung"]);
    expect(await instanceRow("nordlicht")).toMatchObject({ suspended: true, billingStatus: "past_due" });
    expect(await database.db().select().from(dunningSuspensions).where(eq(dunningSuspensions.instanceId, ids.nordlicht))).toEqual([]);
    // the customer is not promised an automatic lift
    const status = await call(statusRoute, "GET", "/api/manage/status", { token: await loginAs(ADMINS.nordlicht) });
    expect(status.json.payment).toMatchObject({ open_invoices: [{ number: invoiceOf.nordlicht.number }], lifted_on_payment: false });
  });

  it("pays by bank transfer: after the CAMT import the dunning suspension is lifted and the customer is mailed", async () => {
    const now = dueDay(32);
    const file = camtStatement("DUNNING-2027-02-18", "2026-11-20", [
      { amountCents: invoiceOf.acme.grossCents, text: `Rechnung ${invoiceOf.acme.number}`, debtor: "Acme Corp" },
      { amountCents: invoiceOf.nordlicht.grossCents, text: invoiceOf.nordlicht.number, debtor: "Nordlicht Design" },
      { amountCents: 1234, text: "Spende", debtor: "Unbekannt" },
    ]);
    const imported = await importBankStatement(systemActor("billing"), { file, filename: "auszug.xml" });
    expect(imported.summary).toMatchObject({ matched: 2, unmatched: 1 });
    // lifted by the import itself, in the entry's transaction: the daily run finds nothing left to do
    expect(await instanceRow("acme")).toMatchObject({ suspended: false, billingStatus: "active" });
    const result = await runDunning(now);
    expect(result.reactivated).toEqual([]);
    expect(await instanceRow("acme")).toMatchObject({ suspended: false, suspendedReason: null, billingStatus: "active" });
    const [logged] = await database.db().select().from(activityLog).where(and(eq(activityLog.action, "instance.reactivated"), eq(activityLog.instanceId, ids.acme)));
    expect(logged).toMatchObject({ actorType: "system", actorName: "System (Mahnwesen)" });
    expect((await subjects("acme")).at(-1)).toBe("Ihre Instanz ist wieder freigeschaltet");
    // the manual suspension stays, although everything is paid
    expect(await instanceRow("nordlicht")).toMatchObject({ suspended: true });
    // nothing twice
    expect((await runDunning(now)).reactivated).toEqual([]);
    expect(await subjects("acme")).toHaveLength(5);
    expect(await database.db().select().from(dunningSuspensions).where(inArray(dunningSuspensions.instanceId, [ids.acme, ids.nordlicht]))).toEqual([]);
  });

  it("a suspension staff lift stays lifted, and one staff set again by hand is never lifted automatically", async () => {
    const db = database.db();
    clock.set("2027-02-03T07:00:00Z");
    expect(await executeBillingRun(systemActor("billing"), { period: "2027-02" })).toMatchObject({ invoice_count: 3 });
    const february = await db.select().from(invoices).where(like(invoices.title, "Abrechnung Februar%"));
    expect(february.every((i) => i.dueDate === "2027-02-17")).toBe(true);
    clock.set("2027-03-19T07:00:00Z"); // +30
    expect((await runDunning(new Date("2027-03-19T07:00:00Z"))).suspended.sort()).toEqual(["acme", "bergmann"]);
    const staffActor = systemActor("housekeeping"); // any non-dunning actor stands for staff here
    // bergmann: staff lift the suspension without payment; dunning does not set it again for the same invoice
    await reactivateInstance(staffActor, { instanceId: ids.bergmann, note: "Kulanz" });
    expect((await runDunning(new Date("2027-03-20T07:00:00Z"))).suspended).toEqual([]);
    expect((await instanceRow("bergmann")).suspended).toBe(false);
    // acme: staff replace the dunning suspension by their own; paying does not lift theirs
    await reactivateInstance(staffActor, { instanceId: ids.acme });
    await suspendInstance(staffActor, { instanceId: ids.acme, reason: "Missbrauch" });
    const acmeFebruary = february.find((i) => i.instanceId === ids.acme)!;
    await recordPayment(systemActor("billing"), { invoiceId: acmeFebruary.id, amount: acmeFebruary.grossCents, payment_date: todayIsoDate(), method: "bank_transfer", reference: null });
    expect((await runDunning(new Date("2027-03-21T07:00:00Z"))).reactivated).toEqual([]);
    expect(await instanceRow("acme")).toMatchObject({ suspended: true, suspendedReason: "Missbrauch" });
    expect(await db.select().from(dunningSuspensions)).toEqual([]);
  });
});
