import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { instances, invoices, mailOutbox, users } from "@/db/schema";
import { userActor } from "@/lib/activity";
import { cancelInvoice, issueInvoice } from "@/lib/invoices/commands";
import { createDraft } from "@/lib/invoices/drafts";
import { draftSchema } from "@/lib/invoices/schemas";
import { readOutbox } from "@/lib/mail";
import { useTestDatabase } from "../helpers/db";
import { draftBody } from "./helpers";

/**
 * Invoice mails go through the transactional outbox: queued in the issuing
 * (or cancelling) transaction, so an issued invoice always has its mail and
 * a failed issue never mails. Delivery failures are the mail job's concern
 * (tests/mail/outbox.test.ts) and show up for staff in the mail outbox.
 */
const database = useTestDatabase();

async function setup() {
  const db = database.db();
  const [staff] = await db.select().from(users).where(eq(users.email, "msp-admin@myit.center"));
  const [acme] = await db.select({ id: instances.id }).from(instances).where(eq(instances.name, "acme"));
  const actor = userActor({ userId: staff!.id, name: staff!.name, staff: true }, "203.0.113.5");
  const { id } = await createDraft(actor, draftSchema.parse(draftBody(acme!.id, { title: `Mailtest ${Math.random()}` })));
  return { actor, id };
}

afterEach(async () => {
  const db = database.db();
  await db.execute(sql`drop trigger if exists test_refuse_mail on mail_outbox`);
  await db.execute(sql`drop function if exists test_refuse_mail()`);
});

describe("invoice mails in the outbox", () => {
  it("queues the invoice with its archived PDF in the issuing transaction, once per recipient", async () => {
    const { actor, id } = await setup();
    const issued = await issueInvoice(actor, { invoiceId: id });
    const [mail] = await readOutbox("admin@firma.de", 1);
    expect(mail.subject).toContain(issued.invoice_number!);
    const [row] = await database.db().select().from(invoices).where(eq(invoices.id, id));
    expect(mail.attachments).toEqual([expect.objectContaining({ contentType: "application/pdf", size: row!.pdf!.length })]);
    const [stored] = await database.db().select().from(mailOutbox).where(eq(mailOutbox.id, mail.id));
    expect(stored!.idempotencyKey).toBe(`invoice-${id}-admin@firma.de`);
  });

  it("does not issue the invoice when its mail cannot be queued, and mails nothing", async () => {
    const { actor, id } = await setup();
    const db = database.db();
    await db.execute(sql`create function test_refuse_mail() returns trigger language plpgsql as $$ begin raise exception 'outbox refused'; end $$`);
    await db.execute(sql`create trigger test_refuse_mail before insert on mail_outbox for each row execute function test_refuse_mail()`);
    const before = (await readOutbox("admin@firma.de", 100)).length;
    await expect(issueInvoice(actor, { invoiceId: id })).rejects.toThrow();
    const [row] = await db.select().from(invoices).where(eq(invoices.id, id));
    expect(row!.issuedAt).toBeNull();
    expect(row!.invoiceNumber).toBeNull();
    expect((await readOutbox("admin@firma.de", 100)).length).toBe(before);
  });

  it("queues the credit note of a cancellation in the cancelling transaction", async () => {
    const { actor, id } = await setup();
    await issueInvoice(actor, { invoiceId: id });
    const result = await cancelInvoice(actor, { invoiceId: id, reason: "Doppelt berechnet" });
    const [mail] = await readOutbox("admin@firma.de", 1);
    expect(mail.subject).toContain(`Stornorechnung ${result.credit_note.invoice_number}`);
  });
});
