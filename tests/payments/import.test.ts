import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as createDraft } from "@/app/api/manage/admin/invoices/route";
import { POST as issue } from "@/app/api/manage/admin/invoices/[id]/issue/route";
import { GET as customerDetail } from "@/app/api/manage/invoices/[id]/route";
import { POST as upload } from "@/app/api/manage/admin/bank-statements/route";
import { checkAgainstDocument } from "../helpers/contract";
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
  return upload(req, { params: Promise.resolve({}) }).then(async (res) => {
    const answer = { status: res.status, headers: res.headers, json: await res.json() };
    checkAgainstDocument("POST", "/api/manage/admin/bank-statements", answer);
    return answer;
  });
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
  await issued("day1");
  await issued("day2");
  await issued("debit");
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
    // the GiroCode's data as text, for the amount due now (225,98 − 100,00)
    expect(detail.json.invoice.payment_details).toMatchObject({ amount_cents: 12598, amount_formatted: "125,98 €", reference: invoicesById.partial!.number });
    expect(detail.json.invoice.payment_details.iban).toMatch(/^[A-Z]{2}\d{2}[A-Z0-9]+$/);
    expect(detail.json.invoice.payment_details.iban_grouped.replaceAll(" ", "")).toBe(detail.json.invoice.payment_details.iban);
    expect(detail.json.invoice.payment_details.iban_grouped).toMatch(/^([A-Z0-9]{4} )+[A-Z0-9]{1,4}$/);
    const full = await call(customerDetail, "GET", `/api/manage/invoices/${invoicesById.full!.id}`, { token: customer, params: { id: String(invoicesById.full!.id) } });
    expect(full.json.invoice.status).toBe("paid");
    expect(full.json.invoice.girocode).toBeNull();
    expect(full.json.invoice.payment_details).toBeNull();
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
    expect(notCamt.json.message).toMatch(/kein CAMT-Kontoauszug.*camt\.053/);
    const huge = await rawUpload(Buffer.alloc(5 * 1024 * 1024 + 10, 0x20));
    expect(huge.status).toBe(413);
  });
});

/** A FinTS-style camt.052 as German online banking exports it: every AcctSvcrRef is the placeholder NONREF. */
function fints(day: string, entries: { amount: string; sign?: "CRDT" | "DBIT"; text: string; e2e?: string; returnReason?: string; instructed?: string }[]) {
  const ntry = entries
    .map(
      (e) => `<Ntry><Amt Ccy="EUR">${e.amount}</Amt><CdtDbtInd>${e.sign ?? "CRDT"}</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>${day}</Dt></BookgDt><ValDt><Dt>${day}</Dt></ValDt><AcctSvcrRef>NONREF</AcctSvcrRef>
        <NtryDtls><TxDtls><Refs>${e.e2e ? `<EndToEndId>${e.e2e}</EndToEndId>` : "<EndToEndId>NOTPROVIDED</EndToEndId>"}</Refs>
          ${e.instructed ? `<AmtDtls><InstdAmt><Amt Ccy="EUR">${e.instructed}</Amt></InstdAmt></AmtDtls>` : ""}
          <RltdPties><Dbtr><Nm>Acme Corp</Nm></Dbtr><DbtrAcct><Id><IBAN>DE02120300000000202051</IBAN></Id></DbtrAcct></RltdPties>
          <RmtInf><Ustrd>${e.text}</Ustrd></RmtInf>
          ${e.returnReason ? `<RtrInf><Rsn><Cd>${e.returnReason}</Cd></Rsn></RtrInf>` : ""}
        </TxDtls></NtryDtls></Ntry>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08"><BkToCstmrAcctRpt><GrpHdr><MsgId>camt52_${day}_ONLINEBA</MsgId></GrpHdr>
<Rpt><Id>r</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>${ntry}</Rpt></BkToCstmrAcctRpt></Document>`;
}

describe("bank files as banks write them", () => {
  it("two days of NONREF entries: the second day's payment is booked, a re-import books nothing twice", async () => {
    const day1 = fints("2026-11-30", [{ amount: "225.98", text: `Rechnung ${invoicesById.day1!.number}` }]);
    const day2 = fints("2026-12-01", [{ amount: "225.98", text: `Rechnung ${invoicesById.day2!.number}` }]);
    expect((await rawUpload(day1)).json.summary).toMatchObject({ new_entries: 1, matched: 1 });
    const second = await rawUpload(day2);
    expect(second.json.summary).toMatchObject({ entries: 1, new_entries: 1, duplicates: 0, matched: 1 });
    expect((await paymentsOf(invoicesById.day2!.id)).map((p) => p.amountCents)).toEqual([22598]);
    for (const file of [day1, day2]) expect((await rawUpload(file)).json.summary).toMatchObject({ new_entries: 0, duplicates: 1 });
    expect(await paymentsOf(invoicesById.day1!.id)).toHaveLength(1);
    expect(await paymentsOf(invoicesById.day2!.id)).toHaveLength(1);
  });

  it("a returned direct debit after a booked payment reopens the invoice and names the bank's fee", async () => {
    const number = invoicesById.debit!.number;
    const paid = fints("2026-12-01", [{ amount: "225.98", text: `Lastschrift ${number}`, e2e: `E2E-${number}` }]);
    expect((await rawUpload(paid)).json.summary).toMatchObject({ matched: 1 });
    const returned = fints("2026-12-03", [{ amount: "229.98", sign: "DBIT", instructed: "225.98", text: `RUECKLASTSCHRIFT ${number}`, e2e: `E2E-${number}`, returnReason: "MD06" }]);
    const res = await rawUpload(returned);
    expect(res.status).toBe(201);
    expect(res.json.entries[0]).toMatchObject({ status: "matched", allocations: [{ invoice_number: number, amount: -225.98 }] });
    expect(res.json.entries[0].note).toContain("MD06");
    expect(res.json.entries[0].note).toContain("4,00");
    expect((await paymentsOf(invoicesById.debit!.id)).map((p) => p.amountCents)).toEqual([22598, -22598]);
    const detail = await call(customerDetail, "GET", `/api/manage/invoices/${invoicesById.debit!.id}`, { token: customer, params: { id: String(invoicesById.debit!.id) } });
    expect(detail.json.invoice.status).not.toBe("paid");
    // the same return again is a duplicate and reverses nothing twice
    expect((await rawUpload(returned)).json.summary).toMatchObject({ new_entries: 0 });
    expect(await paymentsOf(invoicesById.debit!.id)).toHaveLength(2);
  });

  it("a returned transfer (credit with RtrInf) is not a customer payment", async () => {
    const number = invoicesById.debit!.number;
    const res = await rawUpload(fints("2026-12-04", [{ amount: "225.98", text: `Retoure ${number}`, returnReason: "AC01" }]));
    expect(res.json.entries[0]).toMatchObject({ status: "ignored", allocations: [] });
    expect(res.json.entries[0].note).toContain("AC01");
    expect((await paymentsOf(invoicesById.debit!.id)).map((p) => p.amountCents)).toEqual([22598, -22598]);
  });

  it("a row imported under the old reference-only key is recognised, not booked again", async () => {
    const file = fints("2026-11-20", [{ amount: "12.34", text: "Spende ohne Rechnung" }]);
    await rawUpload(file);
    const db = database.db();
    const [row] = await db.select().from(bankStatementEntries).where(eq(bankStatementEntries.amountCents, 1234));
    await db.update(bankStatementEntries).set({ dedupKey: "ref:DE89370400440532013000:NONREF" }).where(eq(bankStatementEntries.id, row!.id));
    expect((await rawUpload(file)).json.summary).toMatchObject({ new_entries: 0, duplicates: 1 });
    // a different NONREF entry is not swallowed by that old key
    expect((await rawUpload(fints("2026-11-21", [{ amount: "12.34", text: "Spende ohne Rechnung" }]))).json.summary).toMatchObject({ new_entries: 1 });
  });
});

