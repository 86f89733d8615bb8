/**
 * The bank-statement import is one transaction per statement entry: the entry, the
 * payment it books, the payment's activity entry and the allocation. A crash while
 * booking the second entry (simulated by a trigger that raises on its allocation)
 * keeps the first entry whole and leaves nothing of the second; importing the file
 * again skips the first and books the second.
 */
import { eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as createDraft } from "@/app/api/manage/admin/invoices/route";
import { activityLog, bankEntryAllocations, bankStatementEntries, instances, invoicePayments } from "@/db/schema";
import { systemActor } from "@/lib/activity";
import { issueInvoice } from "@/lib/invoices/commands";
import { importBankStatement } from "@/lib/payments/import";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { camtStatement } from "../dunning/camt";
import { draftBody, loginAs } from "../invoices/helpers";

const database = useTestDatabase();
const actor = systemActor("billing");
const invoice: Record<"first" | "second", { id: number; number: string; grossCents: number }> = {} as never;

async function issued(staff: string, acmeId: number) {
  const draft = await call(createDraft, "POST", "/api/manage/admin/invoices", { token: staff, body: draftBody(acmeId), headers: { origin: "http://localhost:3000" } });
  expect(draft.status).toBe(201);
  const result = await issueInvoice(actor, { invoiceId: draft.json.invoice.id as number, sendMail: false });
  return { id: result.id as number, number: result.invoice_number as string, grossCents: 22598 };
}

async function booked(which: "first" | "second") {
  const db = database.db();
  const { id } = invoice[which];
  const payments = await db.select().from(invoicePayments).where(eq(invoicePayments.invoiceId, id));
  const allocations = await db.select().from(bankEntryAllocations).where(eq(bankEntryAllocations.invoiceId, id));
  const logged = (await db.select().from(activityLog).where(eq(activityLog.action, "invoice.payment_recorded"))).filter(
    (a) => (a.metadata as { invoice_id?: number } | null)?.invoice_id === id,
  );
  const entries = await db.select().from(bankStatementEntries).where(sql`${bankStatementEntries.remittanceText} like ${`%${invoice[which].number}%`}`);
  return { payments: payments.length, allocations: allocations.length, logged: logged.length, entries: entries.map((e) => e.status) };
}

beforeAll(async () => {
  const staff = await loginAs("msp-admin@myit.center");
  const [acme] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, "acme"));
  invoice.first = await issued(staff, acme!.id);
  invoice.second = await issued(staff, acme!.id);
});

describe("bank-statement import, one transaction per entry", () => {
  it("a crash while booking the second entry keeps the first whole and leaves nothing of the second", async () => {
    const db = database.db();
    const file = camtStatement("CRASH-2026-12-01", "2026-12-01", [
      { amountCents: invoice.first.grossCents, text: `Rechnung ${invoice.first.number}`, debtor: "Acme Corp" },
      { amountCents: invoice.second.grossCents, text: `Rechnung ${invoice.second.number}`, debtor: "Acme Corp" },
    ]);
    await db.execute(sql.raw(`create function test_crash() returns trigger language plpgsql as $$ begin raise exception 'test: crash'; end $$`));
    await db.execute(sql.raw(`create trigger test_crash before insert on bank_entry_allocations for each row when (new.invoice_id = ${invoice.second.id}) execute function test_crash()`));
    await expect(importBankStatement(actor, { file, filename: "auszug.xml" })).rejects.toThrow();

    expect(await booked("first")).toEqual({ payments: 1, allocations: 1, logged: 1, entries: ["matched"] });
    expect(await booked("second")).toEqual({ payments: 0, allocations: 0, logged: 0, entries: [] });

    await db.execute(sql.raw(`drop trigger test_crash on bank_entry_allocations`));
    const again = await importBankStatement(actor, { file, filename: "auszug.xml" });
    expect(again.summary).toMatchObject({ entries: 2, new_entries: 1, duplicates: 1, matched: 1 });
    expect(await booked("first")).toEqual({ payments: 1, allocations: 1, logged: 1, entries: ["matched"] });
    expect(await booked("second")).toEqual({ payments: 1, allocations: 1, logged: 1, entries: ["matched"] });
    const allEntries = await db.select().from(bankStatementEntries).where(inArray(bankStatementEntries.status, ["matched"]));
    expect(allEntries).toHaveLength(2);
  });
});
