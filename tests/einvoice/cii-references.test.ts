import { describe, expect, it } from "vitest";
import type { Invoice } from "@e-invoice-eu/core";
import { creditorIdentifier, withCreditorReference, withoutCreditorIdentifier } from "@/lib/invoices/einvoice/cii-direct-debit";
import { withPrecedingInvoices } from "@/lib/invoices/einvoice/cii-references";

const cii = (settlementTail = "") =>
  `<rsm:CrossIndustryInvoice xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100" xmlns:ram="r" xmlns:rsm="s"><ram:ApplicableHeaderTradeSettlement><ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:DuePayableAmount>1.00</ram:DuePayableAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation>${settlementTail}</ram:ApplicableHeaderTradeSettlement></rsm:CrossIndustryInvoice>`;

describe("CII post-processing: preceding invoice (BT-25/BT-26)", () => {
  it("inserts the reference right after the monetary summation (its place in CII D16B), escaped", () => {
    const out = withPrecedingInvoices(cii(), [{ id: "RE-2026-0001 & Co", issueDate: "2026-06-01" }]);
    expect(out).toMatch(
      /<\/ram:SpecifiedTradeSettlementHeaderMonetarySummation>\s*<ram:InvoiceReferencedDocument>\s*<ram:IssuerAssignedID>RE-2026-0001 &amp; Co<\/ram:IssuerAssignedID>\s*<ram:FormattedIssueDateTime>\s*<qdt:DateTimeString format="102">20260601<\/qdt:DateTimeString>\s*<\/ram:FormattedIssueDateTime>\s*<\/ram:InvoiceReferencedDocument>\s*<\/ram:ApplicableHeaderTradeSettlement>/,
    );
  });

  it("changes nothing without a reference, or when the library already wrote one", () => {
    expect(withPrecedingInvoices(cii(), [])).toBe(cii());
    const fixed = cii("<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>X</ram:IssuerAssignedID></ram:InvoiceReferencedDocument>");
    expect(withPrecedingInvoices(fixed, [{ id: "RE-1" }])).toBe(fixed);
  });

  it("refuses a document it cannot place the reference in", () => {
    expect(() => withPrecedingInvoices("<rsm:CrossIndustryInvoice/>", [{ id: "RE-1" }])).toThrow(/BT-25/);
  });
});

describe("CII post-processing: creditor identifier of a direct debit (BT-90)", () => {
  const data = (ids: { "cbc:ID": string; "cbc:ID@schemeID"?: string }[] | undefined) =>
    ({ "ubl:Invoice": { "cac:AccountingSupplierParty": { "cac:Party": ids ? { "cac:PartyIdentification": ids } : {} } } }) as unknown as Invoice;

  it("takes the SEPA identification out of the library's input and adds it as the settlement's first child", () => {
    const input = data([{ "cbc:ID": "DE98ZZZ09999999999", "cbc:ID@schemeID": "SEPA" }]);
    expect(creditorIdentifier(input)).toBe("DE98ZZZ09999999999");
    const stripped = withoutCreditorIdentifier(input);
    expect(creditorIdentifier(stripped)).toBeNull();
    expect(JSON.stringify(stripped)).not.toContain("PartyIdentification");
    expect(creditorIdentifier(input)).toBe("DE98ZZZ09999999999"); // the original is untouched
    expect(withCreditorReference(cii(), "DE98ZZZ09999999999")).toMatch(
      /<ram:ApplicableHeaderTradeSettlement>\s*<ram:CreditorReferenceID>DE98ZZZ09999999999<\/ram:CreditorReferenceID>\s*<ram:SpecifiedTradeSettlementHeaderMonetarySummation>/,
    );
  });

  it("keeps other seller identifications, and changes nothing without a debit or when the library wrote one", () => {
    const both = data([{ "cbc:ID": "4000001123452", "cbc:ID@schemeID": "0088" }, { "cbc:ID": "DE98ZZZ09999999999", "cbc:ID@schemeID": "SEPA" }]);
    expect(JSON.stringify(withoutCreditorIdentifier(both))).toContain("4000001123452");
    expect(creditorIdentifier(data(undefined))).toBeNull();
    expect(withCreditorReference(cii(), null)).toBe(cii());
    const fixed = cii().replace("<ram:ApplicableHeaderTradeSettlement>", "<ram:ApplicableHeaderTradeSettlement><ram:CreditorReferenceID>X</ram:CreditorReferenceID>");
    expect(withCreditorReference(fixed, "DE98ZZZ09999999999")).toBe(fixed);
    expect(() => withCreditorReference("<rsm:CrossIndustryInvoice/>", "DE98ZZZ09999999999")).toThrow(/BT-90/);
  });
});
