import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { PDFDocument, PDFName, PDFDict, PDFArray, PDFString, PDFHexString } from "pdf-lib";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { POST as createDraft } from "@/app/api/manage/admin/invoices/route";
import { POST as issue } from "@/app/api/manage/admin/invoices/[id]/issue/route";
import { GET as customerEInvoice } from "@/app/api/manage/invoices/[id]/e-invoice/route";
import { GET as staffEInvoice } from "@/app/api/manage/admin/invoices/[id]/e-invoice/route";
import { GET as customerDetail } from "@/app/api/manage/invoices/[id]/route";
import { GET as customerPdf } from "@/app/api/manage/invoices/[id]/pdf/route";
import { mailOutbox } from "@/db/schema";
import { instances, invoiceDocuments } from "@/db/schema";
import { FORMATS, generateXml, renderCii, renderXRechnungUbl } from "@/lib/invoices/einvoice/generate";
import { EInvoiceError } from "@/lib/invoices/einvoice/generate";
import { parseAddress, toEInvoiceData, unitCode } from "@/lib/invoices/einvoice/map";
import { setEinvoiceSettings } from "@/lib/invoices/einvoice/source";
import { summarizeLines } from "@/lib/invoices/calc";
import { currentIssuer } from "@/lib/invoices/issuer-config";
import { systemActor } from "@/lib/activity";
import { updateBillingProfile } from "@/lib/invoices/billing-profile";
import { leitwegCheckDigits, staffProfileBody } from "@/lib/invoices/billing-profile-schemas";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { callBinary, draftBody, loginAs } from "../invoices/helpers";

const database = useTestDatabase();
let staff: string;
let customer: string;
let acmeId: number;
let invoiceId: number;
let invoiceNumber: string;
const origin = { origin: "http://localhost:3000" };
const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, attributeNamePrefix: "@_", parseTagValue: false });

beforeAll(async () => {
  staff = await loginAs("msp-admin@myit.center");
  customer = await loginAs("admin@firma.de");
  const [row] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, "acme"));
  acmeId = row!.id;
  const draft = await call(createDraft, "POST", "/api/manage/admin/invoices", { token: staff, body: draftBody(acmeId), headers: origin });
  invoiceId = draft.json.invoice.id;
  const res = await call(issue, "POST", `/api/manage/admin/invoices/${invoiceId}/issue`, { token: staff, body: { send_mail: false }, params: { id: String(invoiceId) }, headers: origin });
  expect(res.status).toBe(200);
  invoiceNumber = res.json.invoice.invoice_number;
});

const get = (handler: typeof customerEInvoice, query = "", token = customer, id = invoiceId) =>
  callBinary(handler, `/api/manage/invoices/${id}/e-invoice${query}`, token, { id: String(id) });

describe("e-invoice XML", () => {
  it("customer default: EN 16931 CII (ZUGFeRD) with the invoice's numbers", async () => {
    const res = await get(customerEInvoice);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${invoiceNumber}-zugferd.xml"`);
    const xml = res.bytes.toString("utf8");
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml).CrossIndustryInvoice;
    expect(doc.ExchangedDocumentContext.GuidelineSpecifiedDocumentContextParameter.ID).toBe("urn:cen.eu:en16931:2017");
    expect(doc.ExchangedDocument.ID).toBe(invoiceNumber);
    expect(doc.ExchangedDocument.TypeCode).toBe("380");
    const settlement = doc.SupplyChainTradeTransaction.ApplicableHeaderTradeSettlement;
    const totals = settlement.SpecifiedTradeSettlementHeaderMonetarySummation;
    expect(totals.LineTotalAmount).toBe("199.98");
    expect(totals.GrandTotalAmount).toBe("225.98");
    expect(totals.DuePayableAmount).toBe("225.98");
    const taxes = [settlement.ApplicableTradeTax].flat().map((t: Record<string, string>) => [t.CategoryCode, t.RateApplicablePercent, t.CalculatedAmount]);
    expect(taxes).toEqual([["S", "19", "19.00"], ["S", "7", "7.00"]]);
    expect(settlement.SpecifiedTradeSettlementPaymentMeans.PayeePartyCreditorFinancialAccount.IBANID).toBe("DE89370400440532013000");
  });

  it("archived once: the second download returns the same bytes, the database refuses changes", async () => {
    const a = await get(customerEInvoice);
    const b = await get(customerEInvoice);
    expect(a.bytes.equals(b.bytes)).toBe(true);
    const rows = await database.db().select().from(invoiceDocuments).where(eq(invoiceDocuments.invoiceId, invoiceId));
    // archived when issuing: the profile's XML (CII for Factur-X) and the other syntax
    expect(rows.map((r) => r.kind).sort()).toEqual(["cii_xml", "xrechnung_xml"]);
    await expect(database.db().execute(sql`update invoice_documents set bytes = 'x' where invoice_id = ${invoiceId}`)).rejects.toThrow();
    await expect(database.db().execute(sql`delete from invoice_documents where invoice_id = ${invoiceId}`)).rejects.toThrow();
  });

  it("XRechnung (UBL) when the billing profile asks for it, with the Leitweg-ID frozen at drafting as BuyerReference", async () => {
    await expect(setEinvoiceSettings(acmeId, { einvoice_format: "xrechnung", leitweg_id: "991-12345-67" })).rejects.toThrow(/Prüfziffer/);
    const profile = (leitweg_id: string) =>
      updateBillingProfile(systemActor("billing"), {
        ...staffProfileBody.parse({
          legal_name: "Acme Corp",
          street: "Industriestraße 12",
          post_code: "70565",
          city: "Stuttgart",
          country_code: "DE",
          leitweg_id,
          einvoice_format: "xrechnung_ubl",
          invoice_emails: ["buchhaltung@firma.de"],
        }),
        instance_id: acmeId,
      });
    await profile("991-12345-73");
    // No recipient in the draft: it is taken from the billing profile, format and Leitweg-ID included.
    const draft = await call(createDraft, "POST", "/api/manage/admin/invoices", { token: staff, body: draftBody(acmeId, { recipient: undefined }), headers: origin });
    const id = draft.json.invoice.id;
    const issued = await call(issue, "POST", `/api/manage/admin/invoices/${id}/issue`, { token: staff, body: { send_mail: false }, params: { id: String(id) }, headers: origin });
    const number = issued.json.invoice.invoice_number;
    await profile(`991-99999-${leitwegCheckDigits("99199999")}`);
    const res = await get(customerEInvoice, "", customer, id);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${number}-xrechnung.xml"`);
    const doc = parser.parse(res.bytes.toString("utf8")).Invoice;
    expect(doc.CustomizationID).toBe("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0");
    expect(doc.BuyerReference).toBe("991-12345-73");
    expect(doc.AccountingCustomerParty.Party.PostalAddress).toMatchObject({ StreetName: "Industriestraße 12", PostalZone: "70565", CityName: "Stuttgart" });
    expect(doc.AccountingCustomerParty.Party.EndpointID["#text"]).toBe("buchhaltung@firma.de");
    expect(doc.AccountingSupplierParty.Party.EndpointID["@_schemeID"]).toBe("EM");
    expect(doc.LegalMonetaryTotal.PayableAmount["#text"]).toBe("225.98");
    // the first invoice of the test was drafted with the Factur-X profile: it stays CII
    expect((await get(customerEInvoice)).headers.get("content-disposition")).toBe(`attachment; filename="${invoiceNumber}-zugferd.xml"`);
  });

  it("Factur-X PDF/A-3 carries factur-x.xml (pdf-lib and pdfdetach)", async () => {
    const res = await get(staffEInvoice, "?format=facturx", staff);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const pdf = await PDFDocument.load(res.bytes);
    const names = pdf.catalog.lookup(PDFName.of("Names"), PDFDict).lookup(PDFName.of("EmbeddedFiles"), PDFDict).lookup(PDFName.of("Names"), PDFArray);
    const fileNames: string[] = [];
    for (let i = 0; i < names.size(); i += 2) fileNames.push((names.lookup(i) as PDFString | PDFHexString).decodeText());
    expect(fileNames).toContain("factur-x.xml");
    expect(pdf.catalog.get(PDFName.of("AF"))).toBeDefined();

    const dir = mkdtempSync(join(tmpdir(), "facturx-"));
    writeFileSync(join(dir, "i.pdf"), res.bytes);
    expect(execFileSync("pdfdetach", ["-list", join(dir, "i.pdf")]).toString()).toContain("factur-x.xml");
    execFileSync("pdfdetach", ["-save", "1", "-o", join(dir, "fx.xml"), join(dir, "i.pdf")]);
    const embedded = parser.parse(readFileSync(join(dir, "fx.xml"), "utf8")).CrossIndustryInvoice;
    expect(embedded.ExchangedDocument.ID).toBe(invoiceNumber);
  });

  it("the invoice download and the mail attachment are the same Factur-X file", async () => {
    const download = await callBinary(customerPdf, `/api/manage/invoices/${invoiceId}/pdf`, customer, { id: String(invoiceId) });
    expect(download.status).toBe(200);
    const facturx = await get(staffEInvoice, "?format=facturx", staff);
    expect(download.bytes.equals(facturx.bytes)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), "download-"));
    writeFileSync(join(dir, "d.pdf"), download.bytes);
    expect(execFileSync("pdfdetach", ["-list", join(dir, "d.pdf")]).toString()).toContain("factur-x.xml");
    const [mail] = await database
      .db()
      .select({ attachments: mailOutbox.attachments })
      .from(mailOutbox)
      .where(sql`${mailOutbox.subject} like ${`%${invoiceNumber}%`}`);
    expect(Buffer.from(mail!.attachments![0]!.content!, "base64").equals(download.bytes)).toBe(true);
  });

  it("404 for other instances and unknown ids, 422 for an unknown format, 403 for customers on the staff route", async () => {
    const other = await loginAs("admin@bergmann-logistik.de").catch(() => null);
    if (other) expect((await get(customerEInvoice, "", other)).status).toBe(404);
    expect((await get(customerEInvoice, "", customer, 99999)).status).toBe(404);
    expect((await get(customerEInvoice, "?format=pdf")).status).toBe(422);
    expect((await get(staffEInvoice, "", customer)).status).toBe(403);
  });

  it("the customer detail carries the GiroCode payload for the open amount", async () => {
    const res = await call(customerDetail, "GET", `/api/manage/invoices/${invoiceId}`, { token: customer, params: { id: String(invoiceId) } });
    expect(res.json.invoice.girocode.split("\n")).toEqual(["BCD", "002", "1", "SCT", "COBADEFFXXX", "MyIT Center GmbH", "DE89370400440532013000", "EUR225.98", "", "", invoiceNumber]);
  });
});

describe("mapping and library validation", () => {
  const base = {
    kind: "invoice" as const,
    invoiceNumber: "RE-2026-0001",
    invoiceDate: "2026-03-01",
    dueDate: "2026-03-15",
    servicePeriodStart: "2026-02-01",
    servicePeriodEnd: "2026-02-28",
    title: "Test",
    notes: null,
    reverseCharge: false,
    recipient: { company_name: "Acme", address_lines: ["Weg 1", "70565 Stuttgart"] },
    items: summarizeLines([{ position: 1, description: "Std", quantity_milli: 1500, unit: "Std.", unit_price_cents: 1000, vat_rate: 1900, net_cents: 1500 }]).lines,
    cancels: null,
    issuer: currentIssuer(),
  };

  it("maps units and addresses", () => {
    expect(unitCode("Stunde")).toBe("HUR");
    expect(unitCode("Monat")).toBe("MON");
    expect(unitCode("Stück")).toBe("H87");
    expect(unitCode("irgendwas")).toBe("C62");
    expect(parseAddress(["Industriestraße 12", "70565 Stuttgart"])).toMatchObject({ street: "Industriestraße 12", postalZone: "70565", city: "Stuttgart", country: "DE" });
  });

  it("credit notes: type 381, positive amounts, reference to the cancelled invoice", async () => {
    const credit = { ...base, buyerEmail: "buchhaltung@acme.example", kind: "credit_note" as const, dueDate: null, cancels: { invoiceNumber: "RE-2026-0000", invoiceDate: "2026-02-01" }, items: base.items.map((l) => ({ ...l, quantity_milli: -l.quantity_milli, net_cents: -l.net_cents })) };
    const doc = parser.parse((await renderCii(toEInvoiceData(credit))).toString("utf8")).CrossIndustryInvoice;
    expect(doc.ExchangedDocument.TypeCode).toBe("381");
    const settlement = doc.SupplyChainTradeTransaction.ApplicableHeaderTradeSettlement;
    expect(settlement.SpecifiedTradeSettlementHeaderMonetarySummation.GrandTotalAmount).toBe("17.85");
    // BT-25 (preceding invoice) as UBL BillingReference; see lib/invoices/einvoice/README.md for CII.
    const ubl = parser.parse((await renderXRechnungUbl(toEInvoiceData(credit))).toString("utf8")).CreditNote;
    expect(ubl.BillingReference.InvoiceDocumentReference.ID).toBe("RE-2026-0000");
    expect(ubl.LegalMonetaryTotal.PayableAmount["#text"]).toBe("17.85");
  });

  it("reverse charge → category AE with exemption reason", async () => {
    const rc = { ...base, reverseCharge: true, recipient: { ...base.recipient, vat_id: "ATU12345678" }, items: summarizeLines([{ ...base.items[0]!, vat_rate: 0 }]).lines };
    const xml = (await renderCii(toEInvoiceData(rc))).toString("utf8");
    expect(xml).toContain("<ram:CategoryCode>AE</ram:CategoryCode>");
    expect(xml).toContain("VATEX-EU-AE");
  });

  it("renders exactly what the library's InvoiceService renders, with each format's validator compiled once", async () => {
    const { InvoiceService } = await import("@e-invoice-eu/core");
    const credit = { ...base, kind: "credit_note" as const, dueDate: null, cancels: { invoiceNumber: "RE-2026-0000", invoiceDate: "2026-02-01" }, items: base.items.map((l) => ({ ...l, quantity_milli: -l.quantity_milli, net_cents: -l.net_cents })) };
    const reverseCharge = { ...base, reverseCharge: true, recipient: { ...base.recipient, vat_id: "ATU12345678" }, items: summarizeLines([{ ...base.items[0]!, vat_rate: 0 }]).lines };
    const library = new InvoiceService({ log: () => {}, warn: () => {}, error: () => {} } as never);
    for (const invoice of [base, credit, reverseCharge]) {
      const data = toEInvoiceData({ ...invoice, buyerEmail: "buchhaltung@acme.example" });
      for (const format of Object.values(FORMATS)) {
        // twice: the second render runs on the cached validator
        for (let round = 0; round < 2; round++) {
          expect(await generateXml(data, format)).toBe(String(await library.generate(structuredClone(data), { format, lang: "de-de" })));
        }
      }
    }
    // The validators stay per format: XRechnung's patched schema still wants the buyer's address after plain CII passed without it.
    const withoutAddress = toEInvoiceData({ ...base, buyerEmail: null });
    await expect(generateXml(withoutAddress, FORMATS.cii)).resolves.toContain("CrossIndustryInvoice");
    await expect(generateXml(withoutAddress, FORMATS.xrechnungUbl)).rejects.toThrow(/EndpointID/);
    await expect(library.generate(structuredClone(withoutAddress), { format: FORMATS.xrechnungUbl, lang: "de-de" })).rejects.toThrow("validation failed");
  });

  it("the library's schema validation rejects invalid data", async () => {
    const data = toEInvoiceData(base) as unknown as { "ubl:Invoice": Record<string, unknown> };
    data["ubl:Invoice"]["cbc:DocumentCurrencyCode"] = "XXX";
    await expect(renderCii(data as never)).rejects.toThrow(EInvoiceError);
    // XRechnung requires the buyer's electronic address (BT-49)
    await expect(renderXRechnungUbl(toEInvoiceData({ ...base, buyerEmail: null }))).rejects.toThrow(/EndpointID/);
  });
});
