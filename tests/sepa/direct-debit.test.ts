/**
 * SEPA direct debit end to end ("Done when" of issue 22), on PGlite by default and on PostgreSQL
 * with DATABASE_URL (as every database test): a customer admin grants a mandate → the billing run
 * issues invoices that announce the debit (PDF, mail, detail) → staff create the pain.008 for the
 * collection date (never twice) → a camt.053 settles both debits, a second one returns one of them
 * (fee, reopened, dunning reminder, mails) → a transfer pays it and lifts the dunning suspension →
 * a second return flags the mandate, and the next invoice asks for a transfer again.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, asc, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as grant, GET as listOwn } from "@/app/api/manage/sepa/mandates/route";
import { POST as revoke } from "@/app/api/manage/sepa/mandates/[id]/revoke/route";
import { GET as staffMandates } from "@/app/api/manage/admin/instances/[id]/sepa-mandates/route";
import { GET as listCollections, POST as createCollection } from "@/app/api/manage/admin/sepa/collections/route";
import { GET as downloadXml } from "@/app/api/manage/admin/sepa/collections/[id]/xml/route";
import { GET as customerDetail } from "@/app/api/manage/invoices/[id]/route";
import {
  activityLog,
  billing,
  billingPlanItems,
  billingSettings,
  dunningNotices,
  dunningSuspensions,
  instances,
  invoicePayments,
  invoices,
  mailOutbox,
  sepaCollectionItems,
  sepaDebits,
  sepaMandates,
} from "@/db/schema";
import { systemActor } from "@/lib/activity";
import { billingPeriod, nextPeriod, periodOf } from "@/lib/billing/period";
import { executeBillingRun } from "@/lib/billing/run";
import { suspendInstance } from "@/lib/instances/commands";
import { importBankStatement } from "@/lib/payments/import";
import { addDays, todayIsoDate } from "@/lib/time";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { callBinary, loginAs } from "../invoices/helpers";

const database = useTestDatabase();
const origin = { origin: "http://localhost:3000" };
const today = todayIsoDate();
const collectionDate = addDays(today, 5);
const bank = systemActor("billing");
let customer: string;
let staff: string;
let bergmann: number;
let periods: string[];

const euro = (cents: number) => (cents / 100).toFixed(2);
const db = () => database.db();

async function runFor(period: string) {
  await executeBillingRun(systemActor("billing"), { period });
  const [row] = await db().select().from(invoices).where(and(eq(invoices.instanceId, bergmann), eq(invoices.servicePeriodStart, billingPeriod(period).start)));
  expect(row?.invoiceNumber).toBeTruthy();
  return row!;
}

type Tx = { e2e: string; amountCents: number; text: string };
/** A camt.053.001.08 with one entry: a batch credit (collection) or a debit return / a transfer. */
function camt(id: string, entry: { sign: "CRDT" | "DBIT"; amountCents: number; txs: Tx[]; returnReason?: string; instructedCents?: number }) {
  const details = entry.txs
    .map(
      (t) => `<TxDtls><Refs><EndToEndId>${t.e2e}</EndToEndId></Refs>
        <Amt Ccy="EUR">${euro(t.amountCents)}</Amt>
        ${entry.instructedCents !== undefined ? `<AmtDtls><InstdAmt><Amt Ccy="EUR">${euro(entry.instructedCents)}</Amt></InstdAmt></AmtDtls>` : ""}
        <RltdPties><Dbtr><Pty><Nm>Bergmann Logistik GmbH</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct></RltdPties>
        <RmtInf><Ustrd>${t.text}</Ustrd></RmtInf>
        ${entry.returnReason ? `<RtrInf><Rsn><Cd>${entry.returnReason}</Cd></Rsn></RtrInf>` : ""}
      </TxDtls>`,
    )
    .join("\n");
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>${id}</MsgId><CreDtTm>${today}T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>${id}</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>
<Ntry><NtryRef>${id}</NtryRef><Amt Ccy="EUR">${euro(entry.amountCents)}</Amt><CdtDbtInd>${entry.sign}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>${today}</Dt></BookgDt><ValDt><Dt>${today}</Dt></ValDt><AcctSvcrRef>${id}</AcctSvcrRef>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RDDT</Cd><SubFmlyCd>${entry.returnReason ? "UPDD" : "ESDD"}</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls>${details}</NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>`);
}

async function paid(invoiceId: number) {
  return (await db().select({ a: invoicePayments.amountCents }).from(invoicePayments).where(eq(invoicePayments.invoiceId, invoiceId))).reduce((s, p) => s + p.a, 0);
}
const debitOf = async (invoiceId: number) => (await db().select().from(sepaDebits).where(eq(sepaDebits.invoiceId, invoiceId)))[0];
const mailsTo = (to: string, subject: string) => db().select().from(mailOutbox).where(and(eq(mailOutbox.to, to), like(mailOutbox.subject, subject)));

beforeAll(async () => {
  customer = await loginAs("it@bergmann-logistik.de");
  staff = await loginAs("msp-admin@myit.center");
  [{ id: bergmann }] = (await db().select({ id: instances.id }).from(instances).where(eq(instances.name, "bergmann"))) as [{ id: number }];
  await db().update(billing).set({ status: "active", trialEndsAt: null });
  await db().insert(billingSettings).values({ id: 1, billingDay: 1, autoIssue: true, billSuspended: true }).onConflictDoUpdate({ target: billingSettings.id, set: { autoIssue: true } });
  // Future months: nothing of the demo bills them yet.
  let p = nextPeriod(nextPeriod(periodOf(today)));
  periods = [];
  for (let i = 0; i < 4; i++, p = nextPeriod(p)) periods.push(p.key);
});

describe("SEPA direct debit, from mandate to the second return", { timeout: 180_000 }, () => {
  let mandateId: number;
  let reference: string;
  let a: typeof invoices.$inferSelect;
  let b: typeof invoices.$inferSelect;

  it("the customer admin grants a mandate; a wrong IBAN is a 422 in German", async () => {
    const body = { account_holder: "Bergmann Logistik GmbH", iban: "DE88 3704 0044 0532 0130 00", scheme: "CORE", accept: true };
    const bad = await call(grant, "POST", "/api/manage/sepa/mandates", { token: customer, body, headers: origin });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.iban).toEqual(["Die IBAN ist ungültig (Prüfziffer oder Länge stimmt nicht)."]);
    const unconfirmed = await call(grant, "POST", "/api/manage/sepa/mandates", { token: customer, body: { ...body, iban: "DE89370400440532013000", accept: false }, headers: origin });
    expect(unconfirmed.status).toBe(422);

    const ok = await call(grant, "POST", "/api/manage/sepa/mandates", { token: customer, body: { ...body, iban: "DE89 3704 0044 0532 0130 00" }, headers: origin });
    expect(ok.status).toBe(201);
    expect(ok.json.mandate).toMatchObject({ status: "active", scheme: "CORE", iban: "DE89 3704 0044 0532 0130 00", creditor_id: "DE98ZZZ09999999999", signed_by_name: "Claudia Bergmann" });
    expect(ok.json.mandate.text).toContain("Gläubiger-Identifikationsnummer: DE98ZZZ09999999999");
    mandateId = ok.json.mandate.id;
    reference = ok.json.mandate.reference;
    expect(reference).toMatch(/^MP\d{6}-[A-Z0-9]+$/);
    const [row] = await db().select().from(sepaMandates).where(eq(sepaMandates.id, mandateId));
    expect(row!.pdf.subarray(0, 5).toString()).toBe("%PDF-");
    // archived once: the database refuses changing the text
    await expect(db().update(sepaMandates).set({ mandateText: "anders" }).where(eq(sepaMandates.id, mandateId))).rejects.toThrow();

    const twice = await call(grant, "POST", "/api/manage/sepa/mandates", { token: customer, body: { ...body, iban: "DE89370400440532013000" }, headers: origin });
    expect(twice.status).toBe(409);
    const [logged] = await db().select().from(activityLog).where(and(eq(activityLog.action, "sepa.mandate_granted"), eq(activityLog.instanceId, bergmann)));
    expect(logged!.description).toContain(reference);
    const seen = await call(staffMandates, "GET", `/api/manage/admin/instances/${bergmann}/sepa-mandates`, { token: staff, params: { id: String(bergmann) } });
    expect(seen.json.mandates.map((m: { reference: string; status: string }) => [m.reference, m.status])).toEqual([[reference, "active"]]);
  });

  it("the billing run's invoices announce the debit on the PDF, in the mail and on the detail page", async () => {
    a = await runFor(periods[0]!);
    b = await runFor(periods[1]!);
    for (const inv of [a, b]) expect(await debitOf(inv.id)).toMatchObject({ status: "announced", amountCents: inv.grossCents, collectionDate, mandateId });

    const dir = mkdtempSync(path.join(tmpdir(), "sepa-"));
    writeFileSync(path.join(dir, "a.pdf"), a.pdf!);
    const text = spawnSync("pdftotext", ["-layout", path.join(dir, "a.pdf"), "-"], { encoding: "utf8" }).stdout.replace(/\s+/g, " ");
    expect(text).toContain(`Mandatsreferenz: ${reference}`);
    expect(text).toContain("Gläubiger-ID: DE98ZZZ09999999999");
    expect(text).not.toContain("Bitte überweisen");

    const [mail] = await mailsTo("it@bergmann-logistik.de", `Rechnung ${a.invoiceNumber}%`);
    expect(mail!.text).toContain("Vorabankündigung der SEPA-Lastschrift");
    expect(mail!.text).toContain(reference);

    const detail = await call(customerDetail, "GET", `/api/manage/invoices/${a.id}`, { token: customer, params: { id: String(a.id) } });
    expect(detail.json.invoice).toMatchObject({ girocode: null, payment_details: null, direct_debit: { status: "announced", collection_date: collectionDate, mandate_reference: reference, creditor_id: "DE98ZZZ09999999999" } });
  });

  it("staff create the pain.008 for the collection date: FRST, then RCUR; never twice", async () => {
    const preview = await call(listCollections, "GET", `/api/manage/admin/sepa/collections?collection_date=${collectionDate}`, { token: staff });
    expect(preview.json.preview.debits.map((d: { invoice_number: string }) => d.invoice_number)).toEqual([a.invoiceNumber, b.invoiceNumber]);
    const res = await call(createCollection, "POST", "/api/manage/admin/sepa/collections", { token: staff, body: { collection_date: collectionDate }, headers: origin });
    expect(res.status).toBe(201);
    expect(res.json.transactions.map((t: { invoice_number: string; sequence_type: string }) => [t.invoice_number, t.sequence_type])).toEqual([
      [a.invoiceNumber, "FRST"],
      [b.invoiceNumber, "RCUR"],
    ]);
    const again = await call(createCollection, "POST", "/api/manage/admin/sepa/collections", { token: staff, body: { collection_date: collectionDate }, headers: origin });
    expect(again.status).toBe(409);
    expect(again.json.message).toContain("keine Lastschriften fällig");
    // the database itself refuses a second collection of an invoice
    const [item] = await db().select().from(sepaCollectionItems).where(eq(sepaCollectionItems.invoiceId, a.id));
    await expect(db().insert(sepaCollectionItems).values({ ...item!, id: undefined, endToEndId: "OTHER" })).rejects.toThrow();

    const file = await callBinary(downloadXml, `/api/manage/admin/sepa/collections/${res.json.file.id}/xml`, staff, { id: String(res.json.file.id) });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/xml");
    const xml = file.bytes.toString("utf8");
    expect(spawnSync("xmllint", ["--noout", "-"], { input: xml }).status).toBe(0);
    expect(xml).toContain("<ReqdColltnDt>" + collectionDate + "</ReqdColltnDt>");
    expect(xml).toContain(`<MndtId>${reference}</MndtId>`);
    expect(xml).toContain(`<CtrlSum>${euro(a.grossCents + b.grossCents)}</CtrlSum>`);
    expect(await debitOf(a.id)).toMatchObject({ status: "submitted" });
  });

  it("camt.053: both debits settle, then one comes back with a fee — reopened, fee billed, dunning, mails", async () => {
    const settled = await importBankStatement(bank, {
      file: camt("SETTLE1", { sign: "CRDT", amountCents: a.grossCents + b.grossCents, txs: [a, b].map((i) => ({ e2e: i.invoiceNumber!, amountCents: i.grossCents, text: `Rechnung ${i.invoiceNumber}` })) }),
      filename: "settle.xml",
    });
    expect(settled.summary).toMatchObject({ entries: 2, matched: 2 });
    expect(await paid(a.id)).toBe(a.grossCents);
    expect(await paid(b.id)).toBe(b.grossCents);

    const fee = 300;
    const returned = await importBankStatement(bank, {
      file: camt("RETURN1", { sign: "DBIT", amountCents: b.grossCents + fee, instructedCents: b.grossCents, returnReason: "MD06", txs: [{ e2e: b.invoiceNumber!, amountCents: b.grossCents + fee, text: `RUECKLASTSCHRIFT ${b.invoiceNumber}` }] }),
      filename: "return.xml",
    });
    expect(returned.entries[0]!.status).toBe("matched");
    expect(returned.entries[0]!.note).toContain("MD06");
    expect(await paid(a.id)).toBe(a.grossCents); // the settled one stays paid
    expect(await paid(b.id)).toBe(0); // reopened
    expect(await debitOf(b.id)).toMatchObject({ status: "returned", returnFeeCents: fee, returnReason: expect.stringContaining("MD06") });
    const items = await db().select().from(billingPlanItems).where(and(eq(billingPlanItems.instanceId, bergmann), eq(billingPlanItems.source, "sepa_return_fee")));
    expect(items).toMatchObject([{ unitPriceCents: fee, quantityMilli: 1000, vatRate: 0, description: expect.stringContaining(b.invoiceNumber!) }]);
    expect(await db().select().from(dunningNotices).where(eq(dunningNotices.invoiceId, b.id))).toMatchObject([{ stage: "reminder", openCents: b.grossCents }]);
    const [toCustomer] = await mailsTo("it@bergmann-logistik.de", `Rücklastschrift zu Rechnung ${b.invoiceNumber}%`);
    expect(toCustomer!.text).toContain("wurde von Ihrer Bank zurückgegeben");
    expect(toCustomer!.text).toContain("3,00 €");
    expect(await mailsTo("msp-admin@myit.center", `Rücklastschrift ${b.invoiceNumber}%`)).toHaveLength(1);
    expect((await db().select().from(sepaMandates).where(eq(sepaMandates.id, mandateId)))[0]).toMatchObject({ status: "active", returnCount: 1 });
    const detail = await call(customerDetail, "GET", `/api/manage/invoices/${b.id}`, { token: customer, params: { id: String(b.id) } });
    expect(detail.json.invoice.direct_debit.status).toBe("returned");
    expect(detail.json.invoice.girocode).not.toBeNull(); // pay by transfer now
    // the same return file again changes nothing
    expect((await importBankStatement(bank, { file: camt("RETURN1", { sign: "DBIT", amountCents: b.grossCents + fee, instructedCents: b.grossCents, returnReason: "MD06", txs: [{ e2e: b.invoiceNumber!, amountCents: b.grossCents + fee, text: `RUECKLASTSCHRIFT ${b.invoiceNumber}` }] }), filename: "return.xml" })).summary.new_entries).toBe(0);
    expect(await db().select().from(billingPlanItems).where(and(eq(billingPlanItems.instanceId, bergmann), eq(billingPlanItems.source, "sepa_return_fee")))).toHaveLength(1);
  });

  it("the customer's transfer pays the returned invoice and lifts the dunning suspension", async () => {
    const suspended = await suspendInstance(systemActor("dunning"), { instanceId: bergmann, reason: "Offene Rechnungen" });
    await db().insert(dunningSuspensions).values({ instanceId: bergmann, suspendedAt: suspended.suspendedAt! });
    const transfer = await importBankStatement(bank, {
      file: camt("TRANSFER1", { sign: "CRDT", amountCents: b.grossCents, txs: [{ e2e: "NOTPROVIDED", amountCents: b.grossCents, text: `Rechnung ${b.invoiceNumber}` }] }),
      filename: "transfer.xml",
    });
    expect(transfer.summary.matched).toBe(1);
    expect(await paid(b.id)).toBe(b.grossCents);
    expect((await db().select().from(instances).where(eq(instances.id, bergmann)))[0]).toMatchObject({ suspended: false });
    expect(await mailsTo("it@bergmann-logistik.de", "Ihre Instanz ist wieder freigeschaltet%")).toHaveLength(1);
  });

  it("a second return flags the mandate: no further collections, the next invoice asks for a transfer", async () => {
    const c = await runFor(periods[2]!);
    expect(await debitOf(c.id)).toMatchObject({ status: "announced" });
    const res = await call(createCollection, "POST", "/api/manage/admin/sepa/collections", { token: staff, body: { collection_date: collectionDate }, headers: origin });
    expect(res.json.transactions).toEqual([expect.objectContaining({ invoice_number: c.invoiceNumber, sequence_type: "RCUR" })]);
    await importBankStatement(bank, { file: camt("SETTLE2", { sign: "CRDT", amountCents: c.grossCents, txs: [{ e2e: c.invoiceNumber!, amountCents: c.grossCents, text: `Rechnung ${c.invoiceNumber}` }] }), filename: "s2.xml" });
    await importBankStatement(bank, {
      file: camt("RETURN2", { sign: "DBIT", amountCents: c.grossCents, instructedCents: c.grossCents, returnReason: "AM04", txs: [{ e2e: c.invoiceNumber!, amountCents: c.grossCents, text: `RUECKLASTSCHRIFT ${c.invoiceNumber}` }] }),
      filename: "r2.xml",
    });
    expect(await paid(c.id)).toBe(0);
    expect((await db().select().from(sepaMandates).where(eq(sepaMandates.id, mandateId)))[0]).toMatchObject({ status: "flagged", returnCount: 2 });
    expect(await db().select().from(activityLog).where(and(eq(activityLog.action, "sepa.mandate_flagged"), eq(activityLog.instanceId, bergmann)))).toHaveLength(1);
    expect(await mailsTo("msp-admin@myit.center", `Rücklastschrift ${c.invoiceNumber} – Mandat gesperrt`)).toHaveLength(1);

    const d = await runFor(periods[3]!);
    expect(await debitOf(d.id)).toBeUndefined();
    const detail = await call(customerDetail, "GET", `/api/manage/invoices/${d.id}`, { token: customer, params: { id: String(d.id) } });
    expect(detail.json.invoice.direct_debit).toBeNull();
    const staffView = await call(staffMandates, "GET", `/api/manage/admin/instances/${bergmann}/sepa-mandates`, { token: staff, params: { id: String(bergmann) } });
    expect(staffView.json.mandates[0]).toMatchObject({ status: "flagged", status_label: "Gesperrt (Rücklastschriften)" });
  });

  it("revocation needs a confirmation; afterwards a new mandate may be granted", async () => {
    const unconfirmed = await call(revoke, "POST", `/api/manage/sepa/mandates/${mandateId}/revoke`, { token: customer, body: {}, params: { id: String(mandateId) }, headers: origin });
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.json.errors.confirm).toEqual(["Bitte bestätigen Sie den Widerruf."]);
    const done = await call(revoke, "POST", `/api/manage/sepa/mandates/${mandateId}/revoke`, { token: customer, body: { confirm: true }, params: { id: String(mandateId) }, headers: origin });
    expect(done.status).toBe(200);
    expect(done.json.mandate).toMatchObject({ status: "revoked", revoked_by_name: "Claudia Bergmann" });
    const list = await call(listOwn, "GET", "/api/manage/sepa/mandates", { token: customer });
    expect(list.json.mandates.map((m: { status: string }) => m.status)).toEqual(["revoked"]);
    expect(await db().select().from(activityLog).where(and(eq(activityLog.action, "sepa.mandate_revoked"), eq(activityLog.instanceId, bergmann))).orderBy(asc(activityLog.id))).toHaveLength(1);
  });
});
