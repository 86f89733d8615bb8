import { describe, expect, it } from "vitest";
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
