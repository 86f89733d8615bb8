/**
 * Dunning in sight for staff: the instance's dunning state names the stage reached, the next step
 * with its date and the overdue invoices; a pause names why nothing happens next.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as resume, GET as state, PUT as pause } from "@/app/api/manage/admin/instances/[id]/dunning-pause/route";
import { GET as dashboard } from "@/app/api/manage/admin/dashboard/route";
import { POST as dunNow } from "@/app/api/manage/admin/instances/[id]/dunning-now/route";
import { and, like } from "drizzle-orm";
import { activityLog, dunningNotices, instances, mailOutbox } from "@/db/schema";
import { useFixedClock } from "@/lib/billing/clock";
import { openInvoices } from "@/lib/dunning/invoices";
import { addDays } from "@/lib/time";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { loginAs } from "../invoices/helpers";

const TODAY = "2026-12-04";
const database = useTestDatabase({ seedAt: `${TODAY}T10:00:00Z` });
const origin = { origin: "http://localhost:3000" };
let clock: ReturnType<typeof useFixedClock>;
let staff: string;
let ids: Record<string, number>;

const read = async (name: string) => {
  const res = await call(state, "GET", `/api/manage/admin/instances/${ids[name]}/dunning-pause`, { token: staff, params: { id: String(ids[name]) } });
  expect(res.status).toBe(200);
  return res.json.dunning;
};

beforeAll(async () => {
  clock = useFixedClock(`${TODAY}T10:00:00Z`);
  staff = await loginAs("msp-admin@myit.center");
  ids = Object.fromEntries((await database.db().select({ id: instances.id, name: instances.name }).from(instances)).map((r) => [r.name, r.id]));
});
afterAll(() => clock.reset());

describe("dunning state per instance", () => {
  it("an overdue instance without letters: stage, the reminder due today, the overdue invoices", async () => {
    const overdue = (await openInvoices(database.db(), { instanceId: ids.nordlicht!, dueBefore: TODAY })).sort((a, b) => a.dueDate!.localeCompare(b.dueDate!));
    expect(overdue.length).toBeGreaterThan(0);
    const dunning = await read("nordlicht");
    expect(dunning.current_stage).toBeNull();
    expect(dunning.current_stage_label).toBe("Überfällig, noch keine Mahnung");
    // more than 7 days overdue and no reminder yet: the next run (today) sends it
    expect(dunning.next_step).toMatchObject({ stage: "reminder", stage_label: "Zahlungserinnerung", date: TODAY });
    expect(dunning.overdue_invoices.map((i: { invoice_number: string }) => i.invoice_number).sort()).toEqual(overdue.map((o) => o.invoiceNumber).sort());
    expect(dunning.overdue_invoices[0]).toMatchObject({ stage: null, stage_label: "Noch keine Mahnung" });
  });

  it("jetzt mahnen sends the next letter now, once per stage, logged with the staff member", async () => {
    const now = (name: string) => call(dunNow, "POST", `/api/manage/admin/instances/${ids[name]}/dunning-now`, { token: staff, params: { id: String(ids[name]) }, headers: origin });
    const first = await now("nordlicht");
    expect(first.status).toBe(200);
    expect(first.json.sent).toMatchObject({ stage: "reminder", stage_label: "Zahlungserinnerung" });
    expect(first.json.dunning.current_stage).toBe("reminder");
    const mails = await database.db().select().from(mailOutbox).where(and(eq(mailOutbox.to, "info@nordlicht-design.de"), like(mailOutbox.subject, "Zahlungserinnerung%")));
    expect(mails).toHaveLength(1);
    const [logged] = await database.db().select().from(activityLog).where(and(eq(activityLog.action, "dunning.reminder_sent"), eq(activityLog.instanceId, ids.nordlicht!)));
    expect(logged).toMatchObject({ actorType: "staff" });
    // nothing overdue: a German 409; unknown instance: 404; read-only staff: 403
    const none = await now("bergmann");
    expect(none.status).toBe(409);
    expect(none.json.message).toBe("Diese Instanz hat keine überfällige Rechnung.");
    expect((await call(dunNow, "POST", "/api/manage/admin/instances/999999/dunning-now", { token: staff, params: { id: "999999" }, headers: origin })).status).toBe(404);
    const support = await loginAs("support@myit.center");
    expect((await call(dunNow, "POST", `/api/manage/admin/instances/${ids.nordlicht}/dunning-now`, { token: support, params: { id: String(ids.nordlicht) }, headers: origin })).status).toBe(403);
    await database.db().delete(dunningNotices).where(eq(dunningNotices.instanceId, ids.nordlicht!));
  });

  it("after the 1st dunning letter: that stage, and the 2nd letter on due date + 21 days", async () => {
    const overdue = (await openInvoices(database.db(), { instanceId: ids.nordlicht!, dueBefore: TODAY })).sort((a, b) => a.dueDate!.localeCompare(b.dueDate!));
    for (const o of overdue) {
      for (const stage of ["reminder", "dunning_1"] as const) {
        await database.db().insert(dunningNotices).values({ invoiceId: o.id, stage, instanceId: ids.nordlicht!, noticeDate: TODAY, openCents: o.openCents });
      }
    }
    const dunning = await read("nordlicht");
    expect(dunning.current_stage).toBe("dunning_1");
    expect(dunning.current_stage_label).toBe("1. Mahnung");
    const expected = addDays(overdue[0]!.dueDate!, 21);
    expect(dunning.next_step).toMatchObject({ stage: "dunning_2", date: expected < TODAY ? TODAY : expected, invoice_number: overdue[0]!.invoiceNumber });
    expect(dunning.notices.map((n: { stage: string }) => n.stage)).toContain("dunning_1");
  });

  it("the staff dashboard lists the overdue customer with its dunning stage, next step and invoice links", async () => {
    const res = await call(dashboard, "GET", "/api/manage/admin/dashboard", { token: staff });
    expect(res.status).toBe(200);
    const row = res.json.invoices.overdue.find((o: { instance_name: string }) => o.instance_name === "nordlicht");
    expect(row).toMatchObject({ dunning_stage: "dunning_1", dunning_stage_label: "1. Mahnung" });
    expect(row.next_step_label).toMatch(/^2\. Mahnung am \d{2}\.\d{2}\.\d{4}$/);
    expect(row.invoices.length).toBe(row.overdue_count);
    expect(row.invoices[0]).toMatchObject({ stage_label: "1. Mahnung", invoice_number: expect.stringMatching(/^RE-\d{4}-\d{4}$/) });
  });

  it("a pause names the reason instead of a next step; resuming brings it back", async () => {
    const put = await call(pause, "PUT", `/api/manage/admin/instances/${ids.nordlicht}/dunning-pause`, { token: staff, body: { note: "Ratenzahlung vereinbart" }, params: { id: String(ids.nordlicht) }, headers: origin });
    expect(put.status).toBe(200);
    const paused = await read("nordlicht");
    expect(paused.next_step).toBeNull();
    expect(paused.next_step_blocked).toBe("Pausiert: Ratenzahlung vereinbart");
    await call(resume, "DELETE", `/api/manage/admin/instances/${ids.nordlicht}/dunning-pause`, { token: staff, params: { id: String(ids.nordlicht) }, headers: origin });
    expect((await read("nordlicht")).next_step).not.toBeNull();
  });

  it("an instance with nothing overdue has no stage and no next step", async () => {
    const dunning = await read("bergmann");
    const overdue = await openInvoices(database.db(), { instanceId: ids.bergmann!, dueBefore: TODAY });
    expect(overdue).toHaveLength(0); // seeded: bergmann's open invoice is not due yet
    expect(dunning).toMatchObject({ current_stage: null, current_stage_label: "Keine überfälligen Rechnungen", next_step: null, next_step_blocked: null, overdue_invoices: [] });
  });
});
