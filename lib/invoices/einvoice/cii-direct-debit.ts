/**
 * Post-processing of the library's CII for an invoice collected by SEPA direct debit: the creditor
 * identifier (BT-90).
 *
 * EN 16931's UBL binding puts BT-90 into the seller's `cac:PartyIdentification` with scheme "SEPA"
 * (map.ts does). `@e-invoice-eu/core` 2.3.4 maps that element to the CII seller's `ram:ID` (BT-29, a
 * seller identifier) and reads `ram:CreditorReferenceID` only from a payee party, which would need a
 * payee (BG-10) that is not different from the seller. So the CII is rendered from data without the
 * SEPA identification, and `ram:CreditorReferenceID` is added where the CII D16B schema puts it: the
 * first child of `ram:ApplicableHeaderTradeSettlement`. A document that already has one is left alone,
 * so a library that maps it makes this step a no-op (tested).
 */
import type { Invoice } from "@e-invoice-eu/core";

type Identification = { "cbc:ID": string; "cbc:ID@schemeID"?: string };
type SellerParty = { "cac:PartyIdentification"?: Identification[] };

function sellerParty(data: Invoice): SellerParty {
  return (data as unknown as { "ubl:Invoice": { "cac:AccountingSupplierParty": { "cac:Party": SellerParty } } })["ubl:Invoice"]["cac:AccountingSupplierParty"]["cac:Party"];
}

/** The creditor identifier of the invoice data (seller identification with scheme "SEPA"), or null. */
export function creditorIdentifier(data: Invoice): string | null {
  return sellerParty(data)["cac:PartyIdentification"]?.find((id) => id["cbc:ID@schemeID"] === "SEPA")?.["cbc:ID"] ?? null;
}

/** A copy of the data without the SEPA identification (so the CII seller gets no false BT-29). */
export function withoutCreditorIdentifier(data: Invoice): Invoice {
  const copy = structuredClone(data);
  const party = sellerParty(copy);
  const rest = (party["cac:PartyIdentification"] ?? []).filter((id) => id["cbc:ID@schemeID"] !== "SEPA");
  if (rest.length) party["cac:PartyIdentification"] = rest;
  else delete party["cac:PartyIdentification"];
  return copy;
}

function escapeXml(text: string) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function withCreditorReference(xml: string, creditorId: string | null): string {
  if (!creditorId || xml.includes("<ram:CreditorReferenceID>")) return xml;
  const anchor = "<ram:ApplicableHeaderTradeSettlement>";
  const at = xml.indexOf(anchor);
  if (at < 0) throw new Error("CII ohne ApplicableHeaderTradeSettlement: Gläubiger-ID (BT-90) kann nicht eingefügt werden.");
  const end = at + anchor.length;
  return xml.slice(0, end) + `\n\t\t\t<ram:CreditorReferenceID>${escapeXml(creditorId)}</ram:CreditorReferenceID>` + xml.slice(end);
}
