import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { activityLog, billingPlanItems, dunningPauses, instances, invoices, mailOutbox, users } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import type { Tx } from "@/db/types";
import { userActor, type Actor } from "@/lib/activity";
import { addPlanItem } from "@/lib/billing/items";
import { planItemBody } from "@/lib/billing/schemas";
import { pauseDunning } from "@/lib/dunning/pause";
import { ConflictError } from "@/lib/errors";
import { issueInvoice } from "@/lib/invoices/commands";
import { createDraft } from "@/lib/invoices/drafts";
import { draftSchema } from "@/lib/invoices/schemas";
import { useTestDatabase } from "../helpers/db";
import { draftBody } from "../invoices/helpers";

/**
 * Commands compose through `options.tx` (db/transaction.ts): a caller runs several of them in
 * its own transaction, and whatever fails after them takes back all of them, their activity
 * entries and queued mails included.
 */
const database = useTestDatabase();
let actor: Actor;
let acmeId: number;

class Aborted extends Error {}

beforeAll(async () => {
  const db = database.db();
  const [staff] = await db.select().from(users).where(eq(users.email, "msp-admin@myit.center"));
  actor = userActor({ userId: staff!.id, name: staff!.name, staff: true }, "203.0.113.78");
  const [acme] = await db.select({ id: instances.id }).from(instances).where(eq(instances.name, "acme"));
  acmeId = acme!.id;
});

async function rowCounts() {
  const db = database.db();
  const n = async (table: typeof activityLog | typeof dunningPauses | typeof billingPlanItems | typeof invoices | typeof mailOutbox) =>
    (await db.select({ n: count() }).from(table))[0]!.n;
  return { activity: await n(activityLog), pauses: await n(dunningPauses), planItems: await n(billingPlanItems), invoices: await n(invoices), mails: await n(mailOutbox) };
}

const item = () => ({ ...planItemBody.parse({ description: "Backup-Speicher 100 GB", quantity: 2, unit_price: "5,00", vat_rate: 19, starts_on: "2029-11-16" }), instanceId: acmeId });

/** Runs `work` in a caller's transaction and throws after it, so the transaction rolls back. */
async function thenAbort(work: (tx: Tx) => Promise<void>) {
  await expect(
    inTransaction(undefined, async (tx) => {
      await work(tx);
      throw new Aborted("the caller fails after both commands");
    }),
  ).rejects.toBeInstanceOf(Aborted);
}

describe("commands in a caller's transaction", () => {
  it("pauseDunning and addPlanItem: a throw after both takes back both, with their activity entries", async () => {
    const before = await rowCounts();
    await thenAbort(async (tx) => {
      const state = await pauseDunning(actor, { instanceId: acmeId, note: "Klärung mit dem Kunden" }, { tx });
      expect(state.paused).toBe(true); // read back inside the caller's transaction
      await addPlanItem(actor, item(), { tx });
      const inside = await tx.select({ action: activityLog.action }).from(activityLog).where(eq(activityLog.instanceId, acmeId));
      expect(inside.map((r) => r.action)).toEqual(expect.arrayContaining(["dunning.paused", "billing.item_added"]));
    });
    expect(await rowCounts()).toEqual(before);
  });

  it("createDraft and issueInvoice: a throw after both takes back the invoice, its entries and its mail", async () => {
    const before = await rowCounts();
    await thenAbort(async (tx) => {
      const draft = await createDraft(actor, draftSchema.parse(draftBody(acmeId, { title: "Zusammengesetzt" })), { tx });
      const issued = await issueInvoice(actor, { invoiceId: draft.id }, { tx });
      expect(issued.invoice_number).toBeTruthy();
      const [mails] = await tx.select({ n: count() }).from(mailOutbox);
      expect(mails!.n).toBeGreaterThan(before.mails); // queued in the caller's transaction
    });
    expect(await rowCounts()).toEqual(before);
  });

  it("commit: both commands and their entries stay", async () => {
    const before = await rowCounts();
    await inTransaction(undefined, async (tx) => {
      await pauseDunning(actor, { instanceId: acmeId, note: "Zahlung angekündigt" }, { tx });
      await addPlanItem(actor, item(), { tx });
    });
    const after = await rowCounts();
    expect(after).toMatchObject({ pauses: before.pauses + 1, planItems: before.planItems + 1, activity: before.activity + 2 });
  });

  it("a refused command the caller catches takes back only its own writes", async () => {
    const before = await rowCounts();
    await inTransaction(undefined, async (tx) => {
      await addPlanItem(actor, item(), { tx });
      // dunning is paused since the previous test: the second pause is refused, the caller goes on
      await expect(pauseDunning(actor, { instanceId: acmeId, note: "noch einmal" }, { tx })).rejects.toBeInstanceOf(ConflictError);
    });
    expect(await rowCounts()).toMatchObject({ pauses: before.pauses, planItems: before.planItems + 1, activity: before.activity + 1 });
  });
});
