import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as createDraft } from "@/app/api/manage/admin/invoices/route";
import { POST as issue } from "@/app/api/manage/admin/invoices/[id]/issue/route";
import { GET as customerDetail } from "@/app/api/manage/invoices/[id]/route";
import { POST as upload } from "@/app/api/manage/admin/bank-statements/route";
import { GET as listEntries } from "@/app/api/manage/admin/bank-statements/entries/route";
import { POST as assign } from "@/app/api/manage/admin/bank-statements/entries/[id]/assign/route";
import { bankStatementEntries, instances, invoicePayments } from "@/db/schema";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { draftBody, loginAs } from "../invoices/helpers";

const database = useTestDatabase();
let staff: string;
let customer: string;
let acmeId: number;
const origin = { origin: "http://localhost:3000" };
const invoicesById: Record<string, { id: number; number: string }> = {};

async function issued(key: string) {
  const draft = await call(createDraft, "POST", "/api/manage/admin/invoices", { token: staff, body: draftBody(acmeId), headers: origin });
  expect(draft.status).toBe(201);
  const id = draft.json.invoice.id as number;
  const res = await call(issue, "POST", `/api/manage/admin/invoices/${id}/issue`, { token: staff, body: { send_mail: false }, params: { id: String(id) }, headers: origin });
  expect(res.status).toBe(200);
  invoicesById[key] = { id, number: res.json.invoice.invoice_number };
}

function statement() {
  // draftBody totals: 3 × 33,33 @19 % + 3 × 33,33 @7 % = 99,99 + 19,00 + 99,99 + 7,00 = 225,98
  return readFileSync(join(__dirname, "fixtures", "camt053-v02.xml"), "utf8")
    .replace("{{AMOUNT_FULL}}", "225.98")
    .replace("{{NUMBER_FULL}}", invoicesById.full!.number)
    .replace("{{AMOUNT_PARTIAL}}", "100.00")
    .replace("{{NUMBER_PARTIAL_SPACED}}", invoicesById.partial!.number.replaceAll("-", " "))
    .replace("{{AMOUNT_OVER}}", "300.00")
    .replace("{{NUMBER_OVER}}", invoicesById.over!.number);
}

function rawUpload(body: string | Buffer, token = staff, contentType = "application/xml") {
  const req = new NextRequest(new URL("/api/manage/admin/bank-statements?filename=auszug.xml", "http://localhost:3000"), {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": contentType, origin: origin.origin, "x-forwarded-for": "203.0.113.30" },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
  return upload(req, { params: Promise.resolve({}) }).then(async (res) => ({ status: res.status, json: await res.json() }));
}

beforeAll(async () => {
  staff = await loginAs("msp-admin@myit.center");
  customer = await loginAs("admin@firma.de");
  const [row] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, "acme"));
  acmeId = row!.id;
  await issued("full");
  await issued("partial");
  await issued("over");
  await issued("manual");
});

const paymentsOf = (invoiceId: number) => database.db().select().from(invoicePayments).where(eq(invoicePayments.invoiceId, invoiceId));

describe("CAMT.053 import", () => {
  it("customers may not upload (403)", async () => {
    expect((await rawUpload(statement(), customer)).status).toBe(403);
  });

  it("books full, partial and overpayments; lists the rest; ignores debits", async () => {
    const res = await rawUpload(statement());
    expect(res.status).toBe(201);
    expect(res.json.summary).toEqual({ entries: 6, new_entries: 6, duplicates: 0, matched: 2, partially_matched: 1, unmatched: 2, ignored: 1 });
    expect((await paymentsOf(invoicesById.full!.id)).map((p) => p.amountCents)).toEqual([22598]);
    expect((await paymentsOf(invoicesById.partial!.id)).map((p) => p.amountCents)).toEqual([10000]);
    expect((await paymentsOf(invoicesById.over!.id)).map((p) => p.amountCents)).toEqual([22598]);
    const over = res.json.entries.find((e: { status: string }) => e.status === "partially_matched");
    expect(over.open_amount).toBe(74.02);

    const detail = await call(customerDetail, "GET", `/api/manage/invoices/${invoicesById.partial!.id}`, { token: customer, params: { id: String(invoicesById.partial!.id) } });
    expect(detail.json.invoice.status).toBe("partially_paid");
    const full = await call(customerDetail, "GET", `/api/manage/invoices/${invoicesById.full!.id}`, { token: customer, params: { id: String(invoicesById.full!.id) } });
    expect(full.json.invoice.status).toBe("paid");
    expect(full.json.invoice.girocode).toBeNull();
  });

  it("importing the same file again books nothing twice", async () => {
    const res = await rawUpload(statement());
    expect(res.status).toBe(201);
    expect(res.json.summary).toMatchObject({ entries: 6, new_entries: 0, duplicates: 6, matched: 0 });
    expect(await paymentsOf(invoicesById.full!.id)).toHaveLength(1);
    expect(await paymentsOf(invoicesById.partial!.id)).toHaveLength(1);
    expect(await database.db().select().from(bankStatementEntries)).toHaveLength(6);
  });

  it("multipart upload works the same way (and is idempotent too)", async () => {
    const form = new FormData();
    form.append("file", new Blob([statement()], { type: "application/xml" }), "auszug.xml");
    const req = new NextRequest(new URL("/api/manage/admin/bank-statements", "http://localhost:3000"), {
      method: "POST",
      headers: { authorization: `Bearer ${staff}`, origin: origin.origin },
      body: form,
    });
    const res = await upload(req, { params: Promise.resolve({}) });
    expect(res.status).toBe(201);
    expect((await res.json()).summary.new_entries).toBe(0);
  });

  it("lists unmatched entries (incl. overpayment rests) and assigns one by hand", async () => {
    const list = await call(listEntries, "GET", "/api/manage/admin/bank-statements/entries?status=unmatched", { token: staff });
    expect(list.status).toBe(200);
    expect(list.json.entries.map((e: { status: string }) => e.status).sort()).toEqual(["partially_matched", "unmatched", "unmatched"]);
    const entry = list.json.entries.find((e: { status: string }) => e.status === "unmatched");
    const target = invoicesById.manual!;
    const res = await call(assign, "POST", `/api/manage/admin/bank-statements/entries/${entry.id}/assign`, { token: staff, body: { invoice_id: target.id }, params: { id: String(entry.id) }, headers: origin });
    expect(res.status).toBe(200);
    // 250,00 received, invoice open 225,98: the open amount is booked, 24,02 stay open on the entry
    expect(res.json.entry).toMatchObject({ status: "partially_matched", open_amount: 24.02, allocations: [{ invoice_id: target.id, amount: 225.98, source: "manual" }] });
    expect((await paymentsOf(target.id)).map((p) => p.amountCents)).toEqual([22598]);

    const again = await call(assign, "POST", `/api/manage/admin/bank-statements/entries/${entry.id}/assign`, { token: staff, body: { invoice_id: target.id }, params: { id: String(entry.id) }, headers: origin });
    expect(again.status).toBe(409); // the invoice is paid now
    expect(again.json.message).toContain("bereits vollständig bezahlt");
    const missing = await call(assign, "POST", "/api/manage/admin/bank-statements/entries/999999/assign", { token: staff, body: { invoice_id: target.id }, params: { id: "999999" }, headers: origin });
    expect(missing.status).toBe(404);
    const bad = await call(assign, "POST", `/api/manage/admin/bank-statements/entries/${entry.id}/assign`, { token: staff, body: { invoice_id: "x" }, params: { id: String(entry.id) }, headers: origin });
    expect(bad.status).toBe(422);
  });

  it("422 for non-CAMT files, 413 over 5 MB", async () => {
    const notCamt = await rawUpload("<html><body>hallo</body></html>");
    expect(notCamt.status).toBe(422);
    expect(notCamt.json.message).toContain("CAMT.053");
    const huge = await rawUpload(Buffer.alloc(5 * 1024 * 1024 + 10, 0x20));
    expect(huge.status).toBe(413);
  });
});
