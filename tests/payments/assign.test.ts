/**
 * Payment assignment staff can drive: the staff search (company, contact person, e-mail,
 * invoice number, domain, Unicode), suggestions ranked by reference and amount, assignment by
 * invoice number, a split over several invoices (all or nothing), undo with a logged reason,
 * and concurrent assignments of one entry (run with DATABASE_URL on PostgreSQL too).
 */
import { and, eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as createDraft } from "@/app/api/manage/admin/invoices/route";
import { POST as issue } from "@/app/api/manage/admin/invoices/[id]/issue/route";
import { POST as cancel } from "@/app/api/manage/admin/invoices/[id]/cancel/route";
import { GET as listInstances } from "@/app/api/manage/admin/instances/route";
import { POST as upload } from "@/app/api/manage/admin/bank-statements/route";
import { POST as assign } from "@/app/api/manage/admin/bank-statements/entries/[id]/assign/route";
import { POST as unassign } from "@/app/api/manage/admin/bank-statements/entries/[id]/unassign/route";
import { GET as suggestions } from "@/app/api/manage/admin/bank-statements/entries/[id]/suggestions/route";
import { activityLog, bankEntryAllocations, bankStatementEntries, customDomains, instanceBillingProfiles, instances, invoicePayments } from "@/db/schema";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { draftBody, loginAs } from "../invoices/helpers";

const database = useTestDatabase();
const origin = { origin: "http://localhost:3000" };
let staff: string;
let support: string;
const ids: Record<string, number> = {};
const inv: Record<string, { id: number; number: string }> = {};

/** 1 × 100,00 € at 19 % = 119,00 € gross (or `net` euros). */
async function issued(key: string, instance: string, net = "100,00") {
  const body = draftBody(ids[instance]!, { items: [{ description: "Managed Services", quantity: 1, unit: "Monat", unit_price: net, vat_rate: 19 }] });
  const draft = await call(createDraft, "POST", "/api/manage/admin/invoices", { token: staff, body, headers: origin });
  expect(draft.status).toBe(201);
  const id = draft.json.invoice.id as number;
  const res = await call(issue, "POST", `/api/manage/admin/invoices/${id}/issue`, { token: staff, body: { send_mail: false }, params: { id: String(id) }, headers: origin });
  expect(res.status).toBe(200);
  inv[key] = { id, number: res.json.invoice.invoice_number };
}

function camt(entries: { ref: string; amount: string; debtor: string; text: string }[]) {
  const ntry = entries
    .map(
      (e) => `<Ntry><NtryRef>${e.ref}</NtryRef><Amt Ccy="EUR">${e.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
      <BookgDt><Dt>2026-11-20</Dt></BookgDt><ValDt><Dt>2026-11-20</Dt></ValDt><AcctSvcrRef>${e.ref}</AcctSvcrRef>
      <NtryDtls><TxDtls><RltdPties><Dbtr><Nm>${e.debtor}</Nm></Dbtr></RltdPties><RmtInf><Ustrd>${e.text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>ASSIGN-${entries[0]!.ref}</MsgId><CreDtTm>2026-11-20T08:00:00</CreDtTm></GrpHdr>
<Stmt><Id>s</Id><CreDtTm>2026-11-20T08:00:00</CreDtTm><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>${ntry}</Stmt></BkToCstmrStmt></Document>`;
}

async function importEntries(entries: Parameters<typeof camt>[0]) {
  const req = new NextRequest(new URL("/api/manage/admin/bank-statements?filename=auszug.xml", "http://localhost:3000"), {
    method: "POST",
    headers: { authorization: `Bearer ${staff}`, "content-type": "application/xml", origin: origin.origin },
    body: camt(entries),
  });
  const res = await upload(req, { params: Promise.resolve({}) });
  const json = await res.json();
  expect(res.status).toBe(201);
  return json.entries as { id: number; status: string; open_amount: number }[];
}

const post = (handler: typeof assign, path: string, entryId: number, body: unknown, token = staff) =>
  call(handler, "POST", `/api/manage/admin/bank-statements/entries/${entryId}/${path}`, { token, body, params: { id: String(entryId) }, headers: origin });
const paymentsOf = async (invoiceId: number) => (await database.db().select().from(invoicePayments).where(eq(invoicePayments.invoiceId, invoiceId))).map((p) => p.amountCents);
const entryRow = async (id: number) => (await database.db().select().from(bankStatementEntries).where(eq(bankStatementEntries.id, id)))[0]!;
const activityCount = async (action: string) =>
  Number((await database.db().select({ n: sql<number>`count(*)` }).from(activityLog).where(eq(activityLog.action, action)))[0]!.n);

beforeAll(async () => {
  staff = await loginAs("msp-admin@myit.center");
  support = await loginAs("support@myit.center");
  for (const row of await database.db().select({ id: instances.id, name: instances.name }).from(instances)) ids[row.name] = row.id;
  // A contact person and a custom domain with umlauts (the domain is stored in punycode).
  await database
    .db()
    .insert(instanceBillingProfiles)
    .values({ instanceId: ids.bergmann!, legalName: "Bergmann Logistik GmbH", contactName: "Jürgen Müller", street: "Hafenstraße 1", postCode: "20457", city: "Hamburg", invoiceEmails: ["buchhaltung@bergmann-logistik.de"] })
    .onConflictDoUpdate({ target: instanceBillingProfiles.instanceId, set: { contactName: "Jürgen Müller", invoiceEmails: ["buchhaltung@bergmann-logistik.de"] } });
  await database.db().insert(customDomains).values({ instanceId: ids.bergmann!, kind: "portal", domain: "portal.xn--bckerei-mller-bfb28a.de" });
  await issued("acme1", "acme");
  await issued("acme2", "acme", "200,00"); // 238,00 €
  await issued("acme3", "acme");
  await issued("berg", "bergmann");
  await issued("cancelled", "acme");
  const res = await call(cancel, "POST", `/api/manage/admin/invoices/${inv.cancelled!.id}/cancel`, { token: staff, body: { reason: "Testfall storniert" }, params: { id: String(inv.cancelled!.id) }, headers: origin });
  expect(res.status).toBe(200);
});

describe("staff search finds a customer by company, contact person, e-mail, invoice number and domain", () => {
  const names = async (search: string) => {
    const res = await call(listInstances, "GET", `/api/manage/admin/instances?search=${encodeURIComponent(search)}`, { token: staff });
    expect(res.status).toBe(200);
    return (res.json.instances as { name: string }[]).map((i) => i.name);
  };

  it.each([
    ["company", "Logistik", ["bergmann"]],
    ["contact person (Unicode, other case)", "MÜLLER", ["bergmann"]],
    ["contact person typed decomposed (NFD)", "Mu\u0308ller", ["bergmann"]],
    ["signing-in user's name", "Thomas Becker", ["acme"]],
    ["user e-mail", "admin@firma.de", ["acme"]],
    ["invoice e-mail", "buchhaltung@bergmann", ["bergmann"]],
    ["custom domain typed in Unicode", "bäckerei-müller.de", ["bergmann"]],
    ["custom domain in punycode", "xn--bckerei", ["bergmann"]],
    ["portal domain", "nordlicht.portal", ["nordlicht"]],
    ["nothing for a wildcard", "%", []],
  ])("%s: %s", async (_label, search, expected) => {
    expect(await names(search)).toEqual(expected);
  });

  it("invoice number, also as banks write it", async () => {
    expect(await names(inv.berg!.number)).toEqual(["bergmann"]);
    expect(await names(inv.berg!.number.replaceAll("-", " "))).toEqual(["bergmann"]);
    expect(await names(inv.berg!.number.replaceAll("-", "").toLowerCase())).toEqual(["bergmann"]);
  });
});

describe("assigning an unmatched bank entry", () => {
  let entries: { id: number; status: string; open_amount: number }[];

  beforeAll(async () => {
    entries = await importEntries([
      { ref: "A-1", amount: "119.00", debtor: "Bergmann Logistik GmbH", text: "Zahlung November" },
      { ref: "A-2", amount: "357.00", debtor: "ACME Corp", text: "Sammelzahlung" }, // 119,00 + 238,00
      { ref: "A-3", amount: "119.00", debtor: "Unbekannt", text: "Danke" },
      { ref: "A-4", amount: "500.00", debtor: "Acme Corp", text: "Vorauszahlung" },
    ]);
    expect(entries.map((e) => e.status)).toEqual(["unmatched", "unmatched", "unmatched", "unmatched"]);
  });

  it("suggestions rank the payer's customer and the exact amount first, with German reasons", async () => {
    const res = await call(suggestions, "GET", `/api/manage/admin/bank-statements/entries/${entries[0]!.id}/suggestions`, { token: support, params: { id: String(entries[0]!.id) } });
    expect(res.status).toBe(200);
    type S = { invoice_number: string; reasons: string[]; score: number };
    const list: S[] = res.json.suggestions;
    expect(list[0]).toMatchObject({ invoice_number: inv.berg!.number, company_name: "Bergmann Logistik GmbH", open_amount: 119 });
    expect(list[0]!.reasons).toEqual(["Betrag stimmt genau", "Auftraggeber passt zum Kunden"]);
    const other = list.find((s) => s.invoice_number === inv.acme1!.number)!;
    expect(other.reasons).toEqual(["Betrag stimmt genau"]);
    expect(list[0]!.score).toBeGreaterThan(other.score);
    // every suggestion with only a different amount ranks below the exact ones of the same customer match
    const scores = list.map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // the cancelled invoice is never suggested
    expect(res.json.suggestions.map((s: { invoice_number: string }) => s.invoice_number)).not.toContain(inv.cancelled!.number);
  });

  it("q narrows the suggestions with the staff search", async () => {
    const [withNumber] = await importEntries([{ ref: "A-5", amount: "50.00", debtor: "Jemand", text: `Teilbetrag ${inv.acme3!.number.replaceAll("-", " ")}` }]);
    expect(withNumber!.status).toBe("matched"); // booked automatically onto the named invoice (a partial payment of it)
    const byNumber = await call(suggestions, "GET", `/api/manage/admin/bank-statements/entries/${entries[2]!.id}/suggestions?q=${encodeURIComponent("bäckerei-müller.de")}`, { token: staff, params: { id: String(entries[2]!.id) } });
    expect(byNumber.json.suggestions[0].invoice_number).toBe(inv.berg!.number);
    expect(new Set(byNumber.json.suggestions.map((s: { instance_name: string }) => s.instance_name))).toEqual(new Set(["bergmann"]));
    const byMail = await call(suggestions, "GET", `/api/manage/admin/bank-statements/entries/${entries[2]!.id}/suggestions?q=admin%40firma.de`, { token: staff, params: { id: String(entries[2]!.id) } });
    expect(new Set(byMail.json.suggestions.map((s: { instance_name: string }) => s.instance_name))).toEqual(new Set(["acme"]));
    const missing = await call(suggestions, "GET", "/api/manage/admin/bank-statements/entries/999999/suggestions", { token: staff, params: { id: "999999" } });
    expect(missing.status).toBe(404);
    expect(missing.json.message).toBe("Bankbuchung nicht gefunden.");
  });

  it("assigns by invoice number as a person types it; unknown numbers get a German 404", async () => {
    const unknown = await post(assign, "assign", entries[0]!.id, { invoice_number: "RE-1999-0001" });
    expect(unknown.status).toBe(404);
    expect(unknown.json.message).toContain("RE-1999-0001 nicht gefunden");
    const res = await post(assign, "assign", entries[0]!.id, { invoice_number: inv.berg!.number.replaceAll("-", " ").toLowerCase() });
    expect(res.status).toBe(200);
    expect(res.json.entry).toMatchObject({ status: "matched", open_amount: 0, allocations: [{ invoice_number: inv.berg!.number, amount: 119, source: "manual", undone: false, undoable: true }] });
    expect(await paymentsOf(inv.berg!.id)).toEqual([11900]);
  });

  it("splits one payment across two invoices in one step", async () => {
    const res = await post(assign, "assign", entries[1]!.id, { allocations: [{ invoice_number: inv.acme1!.number, amount: "119,00" }, { invoice_id: inv.acme2!.id }] });
    expect(res.status).toBe(200);
    expect(res.json.entry.status).toBe("matched");
    expect(res.json.entry.allocations.map((a: { invoice_number: string; amount: number }) => [a.invoice_number, a.amount])).toEqual([
      [inv.acme1!.number, 119],
      [inv.acme2!.number, 238],
    ]);
    expect(await paymentsOf(inv.acme1!.id)).toEqual([11900]);
    expect(await paymentsOf(inv.acme2!.id)).toEqual([23800]);
    const logged = await database.db().select().from(activityLog).where(and(eq(activityLog.action, "payment.bank_entry_assigned"), sql`${activityLog.metadata}->>'entry_id' = ${String(entries[1]!.id)}`));
    expect(logged.map((l) => l.description)).toEqual([
      `Bankbuchung über 357,00 € aufgeteilt: 119,00 € der Rechnung ${inv.acme1!.number} zugeordnet`,
      `Bankbuchung über 357,00 € aufgeteilt: 238,00 € der Rechnung ${inv.acme2!.number} zugeordnet`,
    ]);
  });

  it("a split with one refusing part books nothing at all (one transaction)", async () => {
    const before = await activityCount("payment.bank_entry_assigned");
    const refused = await post(assign, "assign", entries[3]!.id, { allocations: [{ invoice_id: inv.acme3!.id, amount: "69,00" }, { invoice_number: inv.cancelled!.number }] });
    expect(refused.status).toBe(409);
    expect(refused.json.message).toContain("storniert");
    expect(await paymentsOf(inv.acme3!.id)).toEqual([5000]); // only the automatic 50,00 from before
    expect((await entryRow(entries[3]!.id)).openCents).toBe(50000);
    expect(await database.db().select().from(bankEntryAllocations).where(eq(bankEntryAllocations.entryId, entries[3]!.id))).toHaveLength(0);
    expect(await activityCount("payment.bank_entry_assigned")).toBe(before);

    const tooMuch = await post(assign, "assign", entries[3]!.id, { allocations: [{ invoice_id: inv.acme3!.id, amount: "400,00" }, { invoice_id: inv.berg!.id, amount: "200,00" }] });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.json.message).toContain("größer als der offene Betrag der Buchung");
    const overInvoice = await post(assign, "assign", entries[3]!.id, { invoice_id: inv.acme3!.id, amount: "100,00" });
    expect(overInvoice.status).toBe(422);
    expect(overInvoice.json.message).toContain("nur 69,00 € offen");
    const twice = await post(assign, "assign", entries[3]!.id, { allocations: [{ invoice_id: inv.acme3!.id, amount: 1 }, { invoice_number: inv.acme3!.number, amount: 1 }] });
    expect(twice.status).toBe(422);
    const invalid = await post(assign, "assign", entries[3]!.id, { allocations: [] });
    expect(invalid.status).toBe(422);
    const neither = await post(assign, "assign", entries[3]!.id, { amount: 5 });
    expect(neither.status).toBe(422);
    expect(neither.json.errors).toBeDefined();
  });

  it("undoes a wrong assignment with a counter-booking, logged with the reason; then assigns it right", async () => {
    const entry = (await post(assign, "assign", entries[2]!.id, { invoice_id: inv.acme3!.id })).json.entry;
    expect(entry.allocations).toHaveLength(1);
    expect(await paymentsOf(inv.acme3!.id)).toEqual([5000, 6900]);
    const allocationId = entry.allocations[0].id;

    const noReason = await post(unassign, "unassign", entries[2]!.id, { allocation_id: allocationId, reason: "" });
    expect(noReason.status).toBe(422);
    const readOnly = await post(unassign, "unassign", entries[2]!.id, { allocation_id: allocationId, reason: "falsch" }, support);
    expect(readOnly.status).toBe(403);

    const res = await post(unassign, "unassign", entries[2]!.id, { allocation_id: allocationId, reason: "Kunde hat für Bergmann gezahlt" });
    expect(res.status).toBe(200);
    expect(res.json.entry).toMatchObject({ status: "unmatched", open_amount: 119 });
    expect(res.json.entry.allocations[0]).toMatchObject({ id: allocationId, undone: true, undoable: false, undo_reason: "Kunde hat für Bergmann gezahlt" });
    expect(await paymentsOf(inv.acme3!.id)).toEqual([5000, 6900, -6900]);
    const [log] = await database.db().select().from(activityLog).where(eq(activityLog.action, "payment.bank_entry_unassigned"));
    expect(log).toMatchObject({ instanceId: ids.acme, description: `Zuordnung der Bankbuchung über 69,00 € zu Rechnung ${inv.acme3!.number} aufgehoben. Grund: Kunde hat für Bergmann gezahlt` });

    const again = await post(unassign, "unassign", entries[2]!.id, { allocation_id: allocationId, reason: "nochmal" });
    expect(again.status).toBe(409);
    const foreign = await post(unassign, "unassign", entries[0]!.id, { allocation_id: allocationId, reason: "andere Buchung" });
    expect(foreign.status).toBe(404);

    // the money is open on the entry again and can go where it belongs
    const right = await post(assign, "assign", entries[2]!.id, { invoice_number: inv.acme3!.number, amount: "69,00" });
    expect(right.status).toBe(200);
    expect(right.json.entry).toMatchObject({ status: "partially_matched", open_amount: 50 });
  });

  it("an automatic assignment can be undone too; the invoice number in the text then ranks first", async () => {
    await issued("named", "acme");
    const [entry] = await importEntries([{ ref: "A-7", amount: "119.00", debtor: "Irgendwer", text: `Rechnung ${inv.named!.number}` }]);
    expect(entry!.status).toBe("matched");
    const [allocation] = await database.db().select().from(bankEntryAllocations).where(eq(bankEntryAllocations.entryId, entry!.id));
    expect((await post(unassign, "unassign", entry!.id, { allocation_id: allocation!.id, reason: "Kunde hat sich vertippt" })).status).toBe(200);
    expect(await paymentsOf(inv.named!.id)).toEqual([11900, -11900]);
    const res = await call(suggestions, "GET", `/api/manage/admin/bank-statements/entries/${entry!.id}/suggestions`, { token: staff, params: { id: String(entry!.id) } });
    expect(res.json.suggestions[0]).toMatchObject({ invoice_number: inv.named!.number, reasons: ["Rechnungsnummer im Verwendungszweck", "Betrag stimmt genau"] });
  });

  it("two concurrent assignments of one entry book it once", async () => {
    const [entry] = await importEntries([{ ref: "A-6", amount: "119.00", debtor: "Acme", text: "parallel" }]);
    await issued("race1", "acme");
    await issued("race2", "acme");
    const results = await Promise.all([post(assign, "assign", entry!.id, { invoice_id: inv.race1!.id }), post(assign, "assign", entry!.id, { invoice_id: inv.race2!.id })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect([...(await paymentsOf(inv.race1!.id)), ...(await paymentsOf(inv.race2!.id))]).toEqual([11900]);
    expect((await entryRow(entry!.id)).openCents).toBe(0);
  });
});
