/**
 * A payment recorded by hand (or assigned by staff) that settles the last overdue invoice of an
 * instance dunning suspended lifts the suspension in the same transaction and mails the customer;
 * a suspension staff set stays. Runs on PostgreSQL too (DATABASE_URL).
 */
import { and, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as pay } from "@/app/api/manage/admin/invoices/[id]/payments/route";
import { activityLog, dunningSuspensions, instances, mailOutbox } from "@/db/schema";
import { openInvoices } from "@/lib/dunning/invoices";
import { todayIsoDate } from "@/lib/time";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { loginAs } from "../invoices/helpers";

const database = useTestDatabase();
const origin = { origin: "http://localhost:3000" };
let staff: string;
let nordlicht: typeof instances.$inferSelect;

const reactivationMails = () =>
  database.db().select().from(mailOutbox).where(and(eq(mailOutbox.to, "info@nordlicht-design.de"), like(mailOutbox.subject, "Ihre Instanz ist wieder freigeschaltet%")));

async function payAll(instanceId: number) {
  const open = await openInvoices(database.db(), { instanceId });
  for (const invoice of open) {
    const res = await call(pay, "POST", `/api/manage/admin/invoices/${invoice.id}/payments`, {
      token: staff,
      body: { amount: (invoice.openCents / 100).toFixed(2), payment_date: todayIsoDate(), method: "bank_transfer" },
      params: { id: String(invoice.id) },
      headers: origin,
    });
    expect(res.status).toBe(201);
  }
  return open.length;
}

beforeAll(async () => {
  staff = await loginAs("msp-admin@myit.center");
  [nordlicht] = await database.db().select().from(instances).where(eq(instances.name, "nordlicht"));
  expect(nordlicht!.suspended).toBe(true);
});

describe("a settling payment lifts a dunning suspension at once", () => {
  it("a suspension staff set stays although everything is paid", async () => {
    // Seeded as staff's suspension: no dunning_suspensions row.
    const [first] = await openInvoices(database.db(), { instanceId: nordlicht.id });
    expect(first).toBeDefined();
    const res = await call(pay, "POST", `/api/manage/admin/invoices/${first!.id}/payments`, {
      token: staff,
      body: { amount: "1,00", payment_date: todayIsoDate() },
      params: { id: String(first!.id) },
      headers: origin,
    });
    expect(res.status).toBe(201);
    expect((await database.db().select().from(instances).where(eq(instances.id, nordlicht.id)))[0]!.suspended).toBe(true);
  });

  it("the manual payment of the last overdue invoice reactivates the instance and mails the customer admin", async () => {
    await database.db().insert(dunningSuspensions).values({ instanceId: nordlicht.id, suspendedAt: nordlicht.suspendedAt! });
    expect(await payAll(nordlicht.id)).toBeGreaterThan(0);
    const [after] = await database.db().select().from(instances).where(eq(instances.id, nordlicht.id));
    expect(after).toMatchObject({ suspended: false, suspendedReason: null });
    expect(await database.db().select().from(dunningSuspensions).where(eq(dunningSuspensions.instanceId, nordlicht.id))).toHaveLength(0);
    expect(await reactivationMails()).toHaveLength(1);
    const [logged] = await database.db().select().from(activityLog).where(and(eq(activityLog.action, "instance.reactivated"), eq(activityLog.instanceId, nordlicht.id)));
    expect(logged).toMatchObject({ actorType: "system", description: "Sperre aufgehoben. Notiz: Alle überfälligen Rechnungen sind bezahlt." });
  });
});
