import { todayIsoDate } from "@/lib/time";
import { and, eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { activityLog, instances, invoicePayments, invoices, users } from "@/db/schema";
import { userActor, type Actor } from "@/lib/activity";

import { cancelInvoice, issueInvoice, recordPayment } from "@/lib/invoices/commands";
import { createDraft, deleteDraft } from "@/lib/invoices/drafts";
import { draftSchema } from "@/lib/invoices/schemas";
import { useTestDatabase } from "../helpers/db";
import { draftBody } from "./helpers";

/**
 * A command and its activity entry commit or roll back together: failures are
 * injected with test-only triggers after (or at) the activity insert, inside
 * the command's transaction.
 */
const database = useTestDatabase();
let actor: Actor;
let acmeId: number;

beforeAll(async () => {
  const db = database.db();
  const [staff] = await db.select().from(users).where(eq(users.email, "msp-admin@myit.center"));
  actor = userActor({ userId: staff!.id, name: staff!.name, staff: true }, "203.0.113.77");
  const [acme] = await db.select({ id: instances.id }).from(instances).where(eq(instances.name, "acme"));
  acmeId = acme!.id;
});

afterEach(async () => {
  const db = database.db();
  await db.execute(sql`drop trigger if exists test_fail_at_commit on invoices`);
  await db.execute(sql`drop function if exists test_fail_at_commit()`);
  await db.execute(sql`drop trigger if exists test_refuse_activity on activity_log`);
  await db.execute(sql`drop function if exists test_refuse_activity()`);
});

async function draft(title: string) {
  return createDraft(actor, draftSchema.parse(draftBody(acmeId, { title })));
}

async function activityFor(action: string, invoiceId: number) {
  return database
    .db()
    .select()
    .from(activityLog)
    .where(and(eq(activityLog.action, action), sql`${activityLog.metadata}->>'invoice_id' = ${String(invoiceId)}`));
}

/** The messages of an error and its causes (drivers wrap the PostgreSQL error differently). */
async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const messages: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
    return messages.join(" | ");
  }
  throw new Error("expected the command to fail");
}

/**
 * A deferred constraint trigger fails the transaction at COMMIT, i.e. after
 * every statement of the command. It reports whether the command's activity
 * entry was already visible inside that transaction.
 */
async function failIssueAtCommit(title: string) {
  const db = database.db();
  await db.execute(sql.raw(`
    create function test_fail_at_commit() returns trigger language plpgsql as $$
    begin
      if new.title = '${title}' and new.issued_at is not null then
        if exists (select 1 from activity_log where action = 'invoice.issued' and metadata->>'invoice_id' = new.id::text) then
          raise exception 'test: refused at commit, activity was written in this transaction';
        end if;
        raise exception 'test: refused at commit, no activity in this transaction';
      end if;
      return null;
    end $$`));
  await db.execute(
    sql.raw(`create constraint trigger test_fail_at_commit after update on invoices deferrable initially deferred for each row execute function test_fail_at_commit()`),
  );
}

/** Refuses activity entries of one action: the change before it in the same transaction must roll back. */
async function refuseActivity(action: string) {
  const db = database.db();
  await db.execute(sql.raw(`
    create function test_refuse_activity() returns trigger language plpgsql as $$
    begin
      if new.action = '${action}' then raise exception 'test: activity refused'; end if;
      return new;
    end $$`));
  await db.execute(sql.raw(`create trigger test_refuse_activity before insert on activity_log for each row execute function test_refuse_activity()`));
}

async function invoiceRow(id: number) {
  const [row] = await database.db().select().from(invoices).where(eq(invoices.id, id));
  return row;
}

describe("activity entry and change in one transaction", () => {
  it("success: issuing writes the invoice and its activity entry", async () => {
    const { id } = await draft("Erfolgreich ausgestellt");
    const issued = await issueInvoice(actor, { invoiceId: id, sendMail: false });
    expect(issued.status).toBe("sent");
    const logs = await activityFor("invoice.issued", id);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      instanceId: acmeId,
      actorType: "staff",
      actorName: "Sabine Krüger",
      ip: "203.0.113.77",
      description: `Rechnung ${issued.invoice_number} über 225,98 € ausgestellt`,
    });
  });

  it("issue failing at commit, after the activity insert: neither the issued invoice nor the entry exists", async () => {
    const { id } = await draft("Scheitert beim Commit");
    await failIssueAtCommit("Scheitert beim Commit");
    const message = await failureOf(issueInvoice(actor, { invoiceId: id, sendMail: false }));
    expect(message).toContain("activity was written in this transaction");
    const row = await invoiceRow(id);
    expect(row).toMatchObject({ issuedAt: null, invoiceNumber: null, pdf: null });
    expect(await activityFor("invoice.issued", id)).toHaveLength(0);
  });

  it("a refused activity entry rolls the issue back (the number stays free)", async () => {
    const { id } = await draft("Ohne Protokoll kein Ausstellen");
    await refuseActivity("invoice.issued");
    expect(await failureOf(issueInvoice(actor, { invoiceId: id, sendMail: false }))).toContain("test: activity refused");
    expect(await invoiceRow(id)).toMatchObject({ issuedAt: null, invoiceNumber: null });
  });

  it("a refused activity entry rolls the payment back; with the entry both are stored", async () => {
    const { id } = await draft("Zahlung mit Protokoll");
    await issueInvoice(actor, { invoiceId: id, sendMail: false });
    await refuseActivity("invoice.payment_recorded");
    const payment = { amount: 1000, payment_date: todayIsoDate(), method: "bank_transfer" as const, reference: null };
    expect(await failureOf(recordPayment(actor, { ...payment, invoiceId: id }))).toContain("test: activity refused");
    expect(await database.db().select().from(invoicePayments).where(eq(invoicePayments.invoiceId, id))).toHaveLength(0);
    expect(await activityFor("invoice.payment_recorded", id)).toHaveLength(0);

    await database.db().execute(sql`drop trigger test_refuse_activity on activity_log`);
    await recordPayment(actor, { ...payment, invoiceId: id });
    expect(await database.db().select().from(invoicePayments).where(eq(invoicePayments.invoiceId, id))).toHaveLength(1);
    expect(await activityFor("invoice.payment_recorded", id)).toHaveLength(1);
  });

  it("a refused activity entry rolls back the cancellation and its credit note", async () => {
    const { id } = await draft("Storno mit Protokoll");
    await issueInvoice(actor, { invoiceId: id, sendMail: false });
    const countBefore = (await database.db().select().from(invoices)).length;
    await refuseActivity("invoice.cancelled");
    expect(await failureOf(cancelInvoice(actor, { invoiceId: id, reason: "Test" }))).toContain("test: activity refused");
    expect(await invoiceRow(id)).toMatchObject({ cancelledAt: null });
    expect(await database.db().select().from(invoices)).toHaveLength(countBefore);
  });

  it("a refused activity entry rolls back creating and deleting drafts", async () => {
    const { id } = await draft("Bleibt bestehen");
    await refuseActivity("invoice.draft_deleted");
    expect(await failureOf(deleteDraft(actor, { invoiceId: id }))).toContain("test: activity refused");
    expect(await invoiceRow(id)).toBeDefined();

    await database.db().execute(sql`drop trigger test_refuse_activity on activity_log`);
    await database.db().execute(sql`drop function test_refuse_activity()`);
    await refuseActivity("invoice.draft_created");
    const countBefore = (await database.db().select().from(invoices)).length;
    expect(await failureOf(draft("Nie angelegt"))).toContain("test: activity refused");
    expect(await database.db().select().from(invoices)).toHaveLength(countBefore);
  });
});
