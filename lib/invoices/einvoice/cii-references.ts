/**
 * Post-processing of the library's CII: the preceding invoice (BG-3: BT-25 number, BT-26 date).
 *
 * `@e-invoice-eu/core` 2.3.4 (the newest release) maps `cac:BillingReference` to CII by reading
 * `cac:BillingReference/cbc:ID`, while its own input schema (UBL-shaped) only allows
 * `cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID` — so the reference never reaches the CII
 * (the UBL output carries it). Until the library maps it, we add `ram:InvoiceReferencedDocument`
 * where the CII D16B schema puts it: in `ram:ApplicableHeaderTradeSettlement`, right after the
 * monetary summation. A document that already has one is left alone, so a fixed library makes this
 * step a no-op (tested).
 */
import type { Invoice } from "@e-invoice-eu/core";

type Reference = { id: string; issueDate?: string };

function escapeXml(text: string) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The preceding invoices of the library's invoice data (UBL `cac:BillingReference`). */
export function precedingInvoices(data: Invoice): Reference[] {
  const refs = (data as unknown as { "ubl:Invoice": { "cac:BillingReference"?: { "cac:InvoiceDocumentReference": { "cbc:ID": string; "cbc:IssueDate"?: string } }[] } })["ubl:Invoice"][
    "cac:BillingReference"
  ];
  return (refs ?? []).map((r) => ({ id: r["cac:InvoiceDocumentReference"]["cbc:ID"], issueDate: r["cac:InvoiceDocumentReference"]["cbc:IssueDate"] }));
}

export function withPrecedingInvoices(xml: string, refs: Reference[]): string {
  if (refs.length === 0 || xml.includes("<ram:InvoiceReferencedDocument>")) return xml;
  const anchor = "</ram:SpecifiedTradeSettlementHeaderMonetarySummation>";
  const at = xml.indexOf(anchor);
  if (at < 0) throw new Error("CII ohne SpecifiedTradeSettlementHeaderMonetarySummation: Rechnungsbezug (BT-25) kann nicht eingefügt werden.");
  if (!xml.includes('xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"')) {
    throw new Error("CII ohne qdt-Namensraum: Rechnungsbezug (BT-26) kann nicht eingefügt werden.");
  }
  const elements = refs
    .map(
      (r) =>
        `\n\t\t\t<ram:InvoiceReferencedDocument>\n\t\t\t\t<ram:IssuerAssignedID>${escapeXml(r.id)}</ram:IssuerAssignedID>` +
        (r.issueDate ? `\n\t\t\t\t<ram:FormattedIssueDateTime>\n\t\t\t\t\t<qdt:DateTimeString format="102">${r.issueDate.replace(/-/g, "")}</qdt:DateTimeString>\n\t\t\t\t</ram:FormattedIssueDateTime>` : "") +
        `\n\t\t\t</ram:InvoiceReferencedDocument>`,
    )
    .join("");
  const end = at + anchor.length;
  return xml.slice(0, end) + elements + xml.slice(end);
}
