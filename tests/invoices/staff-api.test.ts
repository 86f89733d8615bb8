import { addDays, todayIsoDate } from "@/lib/time";
import { and, desc, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as customerList } from "@/app/api/manage/invoices/route";
import { GET as customerDetail } from "@/app/api/manage/invoices/[id]/route";
import { GET as customerPdf } from "@/app/api/manage/invoices/[id]/pdf/route";
import { GET as staffList, POST as createDraft } from "@/app/api/manage/admin/invoices/route";
import { DELETE as deleteDraft, GET as staffDetail, PUT as updateDraft } from "@/app/api/manage/admin/invoices/[id]/route";
import { POST as issue } from "@/app/api/manage/admin/invoices/[id]/issue/route";
import { POST as pay } from "@/app/api/manage/admin/invoices/[id]/payments/route";
import { POST as cancel } from "@/app/api/manage/admin/invoices/[id]/cancel/route";
import { GET as staffPdf } from "@/app/api/manage/admin/invoices/[id]/pdf/route";
import { GET as recipients } from "@/app/api/manage/admin/invoices/recipients/route";
import { activityLog, instances, invoiceItems, invoicePayments, invoices, mailOutbox, userRoles, users } from "@/db/schema";

import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { callBinary, draftBody, loginAs } from "./helpers";

const database = useTestDatabase();
let staff: string;
let customer: string;
let acmeId: number;
const origin = { origin: "http://localhost:3000" };

beforeAll(async () => {
  staff = await loginAs("msp-admin@myit.center");
  customer = await loginAs("admin@firma.de");
  const [row] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, "acme"));
  acmeId = row!.id;
});

/** The documented path of each invoice action route. */
const ACTIONS = new Map<unknown, string>([
  [issue, "issue"],
  [pay, "payments"],
  [cancel, "cancel"],
]);
const post = (handler: Parameters<typeof call>[0], id: number | string, body: unknown, token = staff) =>
  call(handler, "POST", `/api/manage/admin/invoices/{id}/${ACTIONS.get(handler)}`, { token, body, params: { id: String(id) }, headers: origin });

async function newDraft(overrides: Record<string, unknown> = {}) {
  const res = await call(createDraft, "POST", "/api/manage/admin/invoices", { token: staff, body: draftBody(acmeId, overrides), headers: origin });
  expect(res.status).toBe(201);
  return res.json.invoice as { id: number; status: string; totals: Record<string, number>; tax_breakdown: unknown[] };
}

async function highestNumberThisYear() {
  const year = todayIsoDate().slice(0, 4);
  const [row] = await database
    .db()
    .select({ n: invoices.invoiceNumber })
    .from(invoices)
    .where(like(invoices.invoiceNumber, `RE-${year}-%`))
    .orderBy(desc(invoices.invoiceNumber))
    .limit(1);
  return row ? Number(row.n!.slice(8)) : 0;
}

describe("staff only", () => {
  it("customers get 403 on every staff endpoint", async () => {
    expect((await call(staffList, "GET", "/api/manage/admin/invoices", { token: customer })).status).toBe(403);
    const res = await call(createDraft, "POST", "/api/manage/admin/invoices", { token: customer, body: draftBody(acmeId), headers: origin });
    expect(res.status).toBe(403);
    expect(res.json.message).toBe("Kein Zugriff: Dieser Bereich ist MSP-Mitarbeitern vorbehalten.");
    expect((await post(issue, 1, {}, customer)).status).toBe(403);
    expect((await post(pay, 1, { amount: 1, payment_date: todayIsoDate() }, customer)).status).toBe(403);
    expect((await post(cancel, 1, { reason: "Test" }, customer)).status).toBe(403);
    expect((await call(recipients, "GET", "/api/manage/admin/invoices/recipients", { token: customer })).status).toBe(403);
    expect((await call(staffList, "GET", "/api/manage/admin/invoices")).status).toBe(401);
  });

  it("MSP support (invoice.read only) may read but not write", async () => {
    const db = database.db();
    const [admin] = await db.select().from(users).where(eq(users.email, "msp-admin@myit.center"));
    const [supportUser] = await db
      .insert(users)
      .values({ email: "rechnung-support@example.org", name: "Support", instanceId: null, passwordHash: admin!.passwordHash })
      .returning();
    await db.insert(userRoles).values({ userId: supportUser!.id, roleKey: "msp_support" });
    const support = await loginAs("rechnung-support@example.org");
    expect((await call(staffList, "GET", "/api/manage/admin/invoices", { token: support })).status).toBe(200);
    const res = await call(createDraft, "POST", "/api/manage/admin/invoices", { token: support, body: draftBody(acmeId), headers: origin });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ message: "Dafür fehlt Ihnen die Berechtigung.", missing: "invoice.write" });
    expect((await post(pay, 1, { amount: 1, payment_date: todayIsoDate() }, support)).status).toBe(403);
  });

  it("staff see all instances' invoices including drafts", async () => {
    const res = await call(staffList, "GET", "/api/manage/admin/invoices?per_page=100", { token: staff });
    expect(res.status).toBe(200);
    expect(res.json.meta.total).toBe(15); // 8 + draft (acme), 4 (bergmann), 2 (nordlicht)
    expect(res.json.invoices.some((i: { status: string }) => i.status === "draft")).toBe(true);
    const filtered = await call(staffList, "GET", `/api/manage/admin/invoices?instance_id=${acmeId}&status=draft`, { token: staff });
    expect(filtered.json.meta.total).toBe(1);
    expect(filtered.json.invoices[0].instance.name).toBe("acme");
    const bad = await call(staffList, "GET", "/api/manage/admin/invoices?instance_id=abc", { token: staff });
    expect(bad.status).toBe(422);
  });

  it("lists instances with their last recipient for the draft form", async () => {
    const res = await call(recipients, "GET", "/api/manage/admin/invoices/recipients", { token: staff });
    const acme = res.json.instances.find((i: { name: string }) => i.name === "acme");
    expect(acme.recipient.address_lines).toEqual(["Industriestraße 12", "70565 Stuttgart"]);
  });
});

describe("drafts", () => {
  it("computes cent-exact totals for 3 × 33,33 € at 19 % and 7 %", async () => {
    const draft = await newDraft();
    expect(draft.status).toBe("draft");
    expect(draft.tax_breakdown).toEqual([
      expect.objectContaining({ vat_rate: 19, net: 99.99, vat: 19, gross: 118.99 }),
      expect.objectContaining({ vat_rate: 7, net: 99.99, vat: 7, gross: 106.99 }),
    ]);
    expect(draft.totals).toMatchObject({ net: 199.98, vat: 26, gross: 225.98, paid: 0, remaining: 225.98 });
    const [row] = await database.db().select().from(invoices).where(eq(invoices.id, draft.id));
    expect(row).toMatchObject({ netCents: 19998, vatCents: 2600, grossCents: 22598, invoiceNumber: null, pdf: null });
  });

  it("is invisible to the customer", async () => {
    const draft = await newDraft({ title: "Geheimer Entwurf" });
    const list = await call(customerList, "GET", "/api/manage/invoices?search=Geheimer", { token: customer });
    expect(list.json.meta.total).toBe(0);
    expect((await call(customerDetail, "GET", "/api/manage/invoices/{id}", { token: customer, params: { id: String(draft.id) } })).status).toBe(404);
    const logs = await database.db().select().from(activityLog).where(and(eq(activityLog.action, "invoice.draft_created"), eq(activityLog.instanceId, acmeId)));
    expect(logs).toHaveLength(0); // draft steps are logged for staff only
  });

  it.each([
    [{ items: [] }, "items"],
    [{ items: [{ description: "x", quantity: 1, unit_price: "12,345", vat_rate: 19 }] }, "items.0.unit_price"],
    [{ items: [{ description: "x", quantity: "1,2345", unit_price: "1", vat_rate: 19 }] }, "items.0.quantity"],
    [{ items: [{ description: "x", quantity: 0, unit_price: "1", vat_rate: 19 }] }, "items.0.quantity"],
    [{ items: [{ description: "", quantity: 1, unit_price: "1", vat_rate: 19 }] }, "items.0.description"],
    [{ items: [{ description: "x", quantity: 1, unit_price: "1", vat_rate: 120 }] }, "items.0.vat_rate"],
    [{ service_period_end: "2026-09-01" }, "service_period_end"],
    [{ service_period_start: "2026-02-30" }, "service_period_start"],
    [{ title: "" }, "title"],
    [{ reverse_charge: true }, "items.0.vat_rate"],
    [{ recipient: { company_name: "Acme", address_lines: [] } }, "recipient.address_lines"],
  ])("rejects invalid input %j with 422 on %s", async (overrides, field) => {
    const res = await call(createDraft, "POST", "/api/manage/admin/invoices", { token: staff, body: draftBody(acmeId, overrides), headers: origin });
    expect(res.status).toBe(422);
    expect(res.json.errors[field]?.[0]).toMatch(/[a-zäöü]/);
  });

  it("rejects an unknown instance with 422 and malformed JSON with 400", async () => {
    const res = await call(createDraft, "POST", "/api/manage/admin/invoices", { token: staff, body: draftBody(99999), headers: origin });
    expect(res.status).toBe(422);
    expect(res.json.message).toBe("Diese Instanz gibt es nicht.");
    const bad = await call(createDraft, "POST", "/api/manage/admin/invoices", { token: staff, rawBody: "{", headers: { ...origin, "content-type": "application/json" } });
    expect(bad.status).toBe(400);
  });

  it("can be edited and deleted while it is a draft", async () => {
    const draft = await newDraft();
    const res = await call(updateDraft, "PUT", "/api/manage/admin/invoices/{id}", {
      token: staff,
      params: { id: String(draft.id) },
      headers: origin,
      body: draftBody(acmeId, { title: "Geändert", items: [{ description: "Beratung", quantity: "2,5", unit: "Std.", unit_price: "120", vat_rate: 19 }] }),
    });
    expect(res.status).toBe(200);
    expect(res.json.invoice.title).toBe("Geändert");
    expect(res.json.invoice.totals).toMatchObject({ net: 300, vat: 57, gross: 357 });
    const del = await call(deleteDraft, "DELETE", "/api/manage/admin/invoices/{id}", { token: staff, params: { id: String(draft.id) }, headers: origin });
    expect(del.status).toBe(200);
    expect((await call(staffDetail, "GET", "/api/manage/admin/invoices/{id}", { token: staff, params: { id: String(draft.id) } })).status).toBe(404);
  });

  it("refuses to issue a draft without the recipient's address and keeps the number free", async () => {
    const before = await highestNumberThisYear();
    const [row] = await database
      .db()
      .insert(invoices)
      .values({ instanceId: acmeId, title: "Ohne Anschrift", servicePeriodStart: "2026-01-01", servicePeriodEnd: "2026-01-31", recipient: { company_name: "Acme", address_lines: [] } })
      .returning();
    const res = await post(issue, row!.id, {});
    expect(res.status).toBe(422);
    expect(await highestNumberThisYear()).toBe(before);
  });
});

describe("issue → pay → cancel", () => {
  let id: number;
  let number: string;
  let pdfBytes: Buffer;

  it("issues: next gap-free number, stored PDF, mail with the PDF to the customer admin, activity", async () => {
    const before = await highestNumberThisYear();
    id = (await newDraft({ title: "Managed Services Oktober" })).id;
    const res = await post(issue, id, {});
    expect(res.status).toBe(200);
    number = res.json.invoice.invoice_number;
    expect(number).toBe(`RE-${todayIsoDate().slice(0, 4)}-${String(before + 1).padStart(4, "0")}`);
    expect(res.json.invoice).toMatchObject({ status: "sent", invoice_date: todayIsoDate(), due_date: addDays(todayIsoDate(), 14) });
    expect(res.json.message).toContain(number);

    const [mail] = await database.db().select().from(mailOutbox).where(eq(mailOutbox.to, "admin@firma.de")).orderBy(desc(mailOutbox.id)).limit(1);
    expect(mail!.subject).toContain(`Rechnung ${number}`);
    expect(mail!.text).toContain("225,98 €");
    const [row] = await database.db().select().from(invoices).where(eq(invoices.id, id));
    pdfBytes = row!.pdf!;
    expect(mail!.attachments).toEqual([{ filename: `${number}.pdf`, contentType: "application/pdf", size: pdfBytes.length, content: pdfBytes.toString("base64") }]);

    const logs = await database.db().select().from(activityLog).where(and(eq(activityLog.instanceId, acmeId), eq(activityLog.action, "invoice.issued")));
    expect(logs.map((l) => l.description)).toContain(`Rechnung ${number} über 225,98 € ausgestellt`);
  });

  it("the customer now sees it and downloads exactly the stored bytes", async () => {
    const list = await call(customerList, "GET", `/api/manage/invoices?search=${number}`, { token: customer });
    expect(list.json.invoices).toEqual([expect.objectContaining({ id, status: "sent", total_gross: 225.98, remaining_amount: 225.98 })]);
    const a = await callBinary(customerPdf, "/x", customer, { id: String(id) });
    const b = await callBinary(staffPdf, "/x", staff, { id: String(id) });
    expect(a.bytes.equals(pdfBytes)).toBe(true);
    expect(b.bytes.equals(pdfBytes)).toBe(true);
  });

  it("an issued invoice is immutable: edit, delete and re-issue are refused with 409", async () => {
    const put = await call(updateDraft, "PUT", "/api/manage/admin/invoices/{id}", { token: staff, params: { id: String(id) }, headers: origin, body: draftBody(acmeId, { title: "Manipuliert" }) });
    expect(put.status).toBe(409);
    expect(put.json.message).toMatch(/bereits ausgestellt.*Stornierung/);
    expect((await call(deleteDraft, "DELETE", "/api/manage/admin/invoices/{id}", { token: staff, params: { id: String(id) }, headers: origin })).status).toBe(409);
    expect((await post(issue, id, {})).status).toBe(409);
    const [row] = await database.db().select().from(invoices).where(eq(invoices.id, id));
    expect(row!.title).toBe("Managed Services Oktober");
    expect(row!.pdf!.equals(pdfBytes)).toBe(true);
  });

  it("records payments: partial, then the rest; refuses 0, overpayment, future dates", async () => {
    const today = todayIsoDate();
    expect((await post(pay, id, { amount: 0, payment_date: today })).status).toBe(422);
    expect((await post(pay, id, { amount: "abc", payment_date: today })).status).toBe(422);
    expect((await post(pay, id, { amount: 10, payment_date: addDays(today, 1) })).status).toBe(422);
    expect((await post(pay, id, { amount: 10, payment_date: today, method: "bitcoin" })).status).toBe(422);
    const over = await post(pay, id, { amount: "225,99", payment_date: today });
    expect(over.status).toBe(422);
    expect(over.json.message).toContain("225,98 €");

    const partial = await post(pay, id, { amount: "100,00", payment_date: today, reference: "Überweisung 1" });
    expect(partial.status).toBe(201);
    expect(partial.json.invoice).toMatchObject({ status: "partially_paid", totals: expect.objectContaining({ paid: 100, remaining: 125.98 }) });
    const rest = await post(pay, id, { amount: 125.98, payment_date: today, method: "direct_debit" });
    expect(rest.json.invoice).toMatchObject({ status: "paid", remaining_amount: 0 });
    expect((await post(pay, id, { amount: 1, payment_date: today })).status).toBe(409);

    const list = await call(customerList, "GET", `/api/manage/invoices?search=${number}`, { token: customer });
    expect(list.json.invoices[0]).toMatchObject({ status: "paid", remaining_amount: 0 });
    const logs = await database.db().select().from(activityLog).where(and(eq(activityLog.instanceId, acmeId), eq(activityLog.action, "invoice.payment_recorded")));
    expect(logs).toHaveLength(2);
    const [row] = await database.db().select().from(invoices).where(eq(invoices.id, id));
    expect(row!.pdf!.equals(pdfBytes)).toBe(true);
  });

  it("cancels a paid invoice with a credit note: negative mirror, next number, refund open", async () => {
    expect((await post(cancel, id, {})).status).toBe(422);
    const res = await post(cancel, id, { reason: "Doppelt berechnet" });
    expect(res.status).toBe(200);
    const credit = res.json.credit_note;
    expect(res.json.invoice).toMatchObject({ status: "cancelled", status_label: "Storniert", cancellation_reason: "Doppelt berechnet", credit_note: { id: credit.id, invoice_number: credit.invoice_number } });
    expect(Number(credit.invoice_number.slice(8))).toBe(Number(number.slice(8)) + 1);
    expect(credit).toMatchObject({ kind: "credit_note", kind_label: "Stornorechnung", cancels_invoice: { id, invoice_number: number } });
    expect(credit.totals).toMatchObject({ net: -199.98, vat: -26, gross: -225.98, paid: 0, remaining: -225.98 });
    expect(credit.tax_breakdown).toEqual([
      expect.objectContaining({ vat_rate: 19, net: -99.99, vat: -19 }),
      expect.objectContaining({ vat_rate: 7, net: -99.99, vat: -7 }),
    ]);
    expect(credit.status).toBe("sent"); // refund of the 225,98 € paid is open

    expect((await post(cancel, id, { reason: "Nochmal" })).status).toBe(409);
    expect((await post(cancel, credit.id, { reason: "Storno vom Storno" })).status).toBe(409);
    expect((await post(pay, id, { amount: 1, payment_date: todayIsoDate() })).status).toBe(409);

    const refund = await post(pay, credit.id, { amount: "-225,98", payment_date: todayIsoDate(), reference: "Erstattung" });
    expect(refund.status).toBe(201);
    expect(refund.json.invoice.status).toBe("paid");

    const pdf = await callBinary(customerPdf, "/x", customer, { id: String(credit.id) });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-disposition")).toContain(`${credit.invoice_number}.pdf`);
    const [original] = await database.db().select().from(invoices).where(eq(invoices.id, id));
    expect(original!.pdf!.equals(pdfBytes)).toBe(true);
    const logs = await database.db().select().from(activityLog).where(and(eq(activityLog.instanceId, acmeId), eq(activityLog.action, "invoice.cancelled")));
    expect(logs).toHaveLength(1);
  });

  it("cancelling an unpaid invoice settles the credit note by offset", async () => {
    const draft = await newDraft({ title: "Wird storniert" });
    await post(issue, draft.id, {});
    const res = await post(cancel, draft.id, { reason: "Falscher Empfänger" });
    expect(res.json.credit_note.status).toBe("paid");
    expect(res.json.credit_note.payments).toEqual([expect.objectContaining({ method: "offset", amount: -225.98 })]);
    const list = await call(customerList, "GET", "/api/manage/invoices?search=Wird%20storniert", { token: customer });
    expect(list.json.invoices[0]).toMatchObject({ status: "cancelled", remaining_amount: 0 });
  });

  it("drafts cannot be paid or cancelled", async () => {
    const draft = await newDraft();
    expect((await post(pay, draft.id, { amount: 1, payment_date: todayIsoDate() })).status).toBe(409);
    expect((await post(cancel, draft.id, { reason: "Entwurf" })).status).toBe(409);
    expect((await post(pay, 999999, { amount: 1, payment_date: todayIsoDate() })).status).toBe(404);
  });
});

describe("the database refuses to change issued invoices (second line of defence)", () => {
  it("blocks content updates, item changes, deletes and PDF replacement of issued invoices", async () => {
    const db = database.db();
    const [issued] = await db.select().from(invoices).where(eq(invoices.title, "Einrichtung Custom-Domain und Remote-Support"));
    await expect(db.update(invoices).set({ title: "Manipuliert" }).where(eq(invoices.id, issued!.id))).rejects.toThrow();
    await expect(db.update(invoices).set({ grossCents: 1 }).where(eq(invoices.id, issued!.id))).rejects.toThrow();
    await expect(db.delete(invoices).where(eq(invoices.id, issued!.id))).rejects.toThrow();
    await expect(db.update(invoiceItems).set({ unitPriceCents: 1 }).where(eq(invoiceItems.invoiceId, issued!.id))).rejects.toThrow();
    await expect(db.delete(invoiceItems).where(eq(invoiceItems.invoiceId, issued!.id))).rejects.toThrow();
    await expect(
      db.insert(invoiceItems).values({ invoiceId: issued!.id, position: 9, description: "Extra", quantityMilli: 1000, unit: "Stück", unitPriceCents: 100, vatRate: 1900, netCents: 100 }),
    ).rejects.toThrow();
    await expect(db.update(invoicePayments).set({ amountCents: 1 }).where(eq(invoicePayments.invoiceId, issued!.id))).rejects.toThrow();
    // Status metadata stays writable.
    await db.update(invoices).set({ updatedAt: new Date() }).where(eq(invoices.id, issued!.id));
    const [after] = await db.select().from(invoices).where(eq(invoices.id, issued!.id));
    expect(after!.title).toBe("Einrichtung Custom-Domain und Remote-Support");
  });
});
