/**
 * Issued invoice → `@e-invoice-eu/core` invoice data (UBL-shaped JSON; the library renders
 * CII, UBL/XRechnung and Factur-X from it). Pure; amounts come from the stored integer
 * cents, never recomputed differently from calc.ts.
 *
 * Edge cases
 * - Credit notes (Stornorechnungen) are stored with negated quantities; EN 16931 wants
 *   type code 381 with positive amounts, so every sign is flipped back and the cancelled
 *   invoice is referenced (BT-25).
 * - VAT categories: 19 %/7 % → S; reverse charge → AE (VATEX-EU-AE); a customer outside the EU →
 *   G (not taxable in Germany, § 3a Abs. 2 UStG); any other 0 % → E with the exemption reason of the
 *   billing profile. Z (zero-rated) is never used: German law taxes nothing at 0 % that we sell.
 * - Credit notes carry no request to pay: payment means 97 (clearing between partners), no IBAN.
 * - An invoice collected by SEPA direct debit (announced at issue, lib/sepa/prenotification.ts) asks for
 *   no transfer: payment means 59 with the mandate (BT-89), the debited IBAN (BT-91) and the creditor
 *   identifier (BT-90, seller identification with scheme "SEPA"; in CII `ram:CreditorReferenceID`,
 *   see cii-direct-debit.ts), and payment terms that name the collection date.
 * - Units: German unit texts are mapped to UN/ECE Rec. 20 codes (fallback C62 "one").
 * - Addresses: the recipient snapshot's structured address (billing profile) when present;
 *   older invoices have free lines, whose last line "PLZ Ort" gives postal zone and city.
 * - BuyerReference (BT-10, required by XRechnung): the snapshot's Leitweg-ID, else its buyer
 *   reference, else the customer number, else the invoice number.
 */
import type { Invoice } from "@e-invoice-eu/core";
import type { InvoiceRecipientSnapshot } from "@/db/schema";
import { summarizeLines, type CalculatedLine } from "@/lib/invoices/calc";
import type { IssuerConfig } from "@/lib/invoices/pdf/types";

export type EInvoiceSource = {
  kind: "invoice" | "credit_note";
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string | null;
  servicePeriodStart: string;
  servicePeriodEnd: string;
  title: string;
  notes: string | null;
  reverseCharge: boolean;
  recipient: InvoiceRecipientSnapshot;
  items: CalculatedLine[];
  /** The cancelled invoice (credit notes only). */
  cancels: { invoiceNumber: string; invoiceDate: string | null } | null;
  issuer: IssuerConfig;
  leitwegId?: string | null;
  /** Buyer's electronic address (BT-49), e.g. the customer admin's e-mail. */
  buyerEmail?: string | null;
  /** The SEPA direct debit the invoice announces (BG-19: BT-89 mandate, BT-90 creditor ID, BT-91 debited IBAN). */
  directDebit?: { mandateReference: string; creditorId: string; debtorIban: string; collectionDate: string } | null;
};

const UNIT_CODES: Array<[RegExp, string]> = [
  [/^(stk|stück|stueck|st\.?)$/i, "H87"],
  [/^(std|std\.|stunde|stunden|h)$/i, "HUR"],
  [/^(min|minute|minuten)$/i, "MIN"],
  [/^(tag|tage|d)$/i, "DAY"],
  [/^(woche|wochen)$/i, "WEE"],
  [/^(monat|monate|mon\.?)$/i, "MON"],
  [/^(jahr|jahre)$/i, "ANN"],
  [/^(pauschal|pauschale|psch\.?)$/i, "LS"],
  [/^(gb)$/i, "E34"],
  [/^(tb)$/i, "E35"],
  [/^(lizenz|lizenzen|user|benutzer|gerät|geräte|arbeitsplatz|arbeitsplätze)$/i, "C62"],
];

export function unitCode(unit: string): string {
  const text = unit.trim();
  return UNIT_CODES.find(([re]) => re.test(text))?.[1] ?? "C62";
}

/** Cents → "12.34" (no thousands separator, always two decimals). */
export function amount(cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(cents);
  return `${negative ? "-" : ""}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** Thousandths → "1.5" */
function quantity(milli: number): string {
  const negative = milli < 0;
  const abs = Math.abs(milli);
  const frac = String(abs % 1000).padStart(3, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${Math.floor(abs / 1000)}${frac ? `.${frac}` : ""}`;
}

function percent(bp: number): string {
  return String(bp / 100);
}

type Address = { street: string | null; extra: string | null; postalZone: string | null; city: string; country: string };

/** ["Industriestraße 12", "70565 Stuttgart"] → street, postal zone, city (country DE unless the last line names one). */
export function parseAddress(lines: string[]): Address {
  const cleaned = lines.map((l) => l.trim()).filter(Boolean);
  let country = "DE";
  const last = cleaned[cleaned.length - 1];
  if (last && /^(deutschland|germany|de)$/i.test(last)) cleaned.pop();
  const cityLine = cleaned.pop() ?? "";
  const match = /^(?:([A-Z]{2})-)?(\d{4,5})\s+(.+)$/.exec(cityLine);
  if (match?.[1]) country = match[1];
  return {
    street: cleaned[0] ?? null,
    extra: cleaned.length > 1 ? cleaned.slice(1).join(", ") : null,
    postalZone: match ? match[2]! : null,
    city: match ? match[3]! : cityLine || "-",
    country,
  };
}

function postalAddress(lines: string[]) {
  const a = parseAddress(lines);
  return {
    ...(a.street ? { "cbc:StreetName": a.street } : {}),
    ...(a.extra ? { "cbc:AdditionalStreetName": a.extra } : {}),
    "cbc:CityName": a.city,
    ...(a.postalZone ? { "cbc:PostalZone": a.postalZone } : {}),
    "cac:Country": { "cbc:IdentificationCode": a.country },
  };
}

type TaxCategory = "S" | "AE" | "E" | "G";

function taxCategoryId(vatRate: number, reverseCharge: boolean, recipient: InvoiceRecipientSnapshot): TaxCategory {
  if (reverseCharge) return "AE";
  if (vatRate > 0) return "S";
  return recipient.vat_treatment === "outside_eu" ? "G" : "E";
}

const REVERSE_CHARGE_REASON = "Steuerschuldnerschaft des Leistungsempfängers (§ 13b UStG)";
const OUTSIDE_EU_REASON = "Nicht im Inland steuerbare Leistung (§ 3a Abs. 2 UStG)";
const EXEMPT_FALLBACK_REASON = "Umsatzsteuerfreie Leistung";

function exemption(category: TaxCategory, recipient: InvoiceRecipientSnapshot) {
  if (category === "AE") return { "cbc:TaxExemptionReasonCode": "VATEX-EU-AE", "cbc:TaxExemptionReason": REVERSE_CHARGE_REASON };
  if (category === "G") return { "cbc:TaxExemptionReasonCode": "VATEX-EU-G", "cbc:TaxExemptionReason": OUTSIDE_EU_REASON };
  if (category === "E") return { "cbc:TaxExemptionReason": recipient.exemption_reason?.trim() || EXEMPT_FALLBACK_REASON };
  return {};
}

function buyerAddress(recipient: InvoiceRecipientSnapshot) {
  const a = recipient.address;
  if (!a) return postalAddress(recipient.address_lines);
  return {
    "cbc:StreetName": a.street,
    ...(a.additional_line ? { "cbc:AdditionalStreetName": a.additional_line } : {}),
    "cbc:CityName": a.city,
    "cbc:PostalZone": a.post_code,
    "cac:Country": { "cbc:IdentificationCode": a.country_code },
  };
}

/** Builds the library's invoice data for one issued invoice or credit note. */
export function toEInvoiceData(src: EInvoiceSource): Invoice {
  const sign = src.kind === "credit_note" ? -1 : 1;
  // BR-27: the item price is never negative; a discount line carries a negative quantity.
  const lines = src.items.map((line) => {
    const priceSign = line.unit_price_cents < 0 ? -1 : 1;
    return {
      ...line,
      quantity_milli: sign * priceSign * line.quantity_milli,
      unit_price_cents: priceSign * line.unit_price_cents,
      net_cents: sign * line.net_cents,
    };
  });
  const calc = summarizeLines(lines);
  const issuer = src.issuer;
  const iban = issuer.bank.iban.replace(/\s+/g, "");
  const dueDate = src.dueDate ?? undefined;
  const buyerReference =
    src.recipient.leitweg_id?.trim() || src.leitwegId?.trim() || src.recipient.buyer_reference?.trim() || src.recipient.customer_number?.trim() || src.invoiceNumber;
  const eur = (cents: number) => amount(cents);

  const sellerTaxSchemes = [
    ...(issuer.vat_id ? [{ "cbc:CompanyID": issuer.vat_id, "cac:TaxScheme": { "cbc:ID": "VAT" } }] : []),
    ...(issuer.tax_number ? [{ "cbc:CompanyID": issuer.tax_number, "cac:TaxScheme": { "cbc:ID": "FC" } }] : []),
  ];
  const noteParts = [src.title, src.notes, src.reverseCharge ? REVERSE_CHARGE_REASON : null].filter(Boolean) as string[];
  const directDebit = src.kind === "invoice" ? (src.directDebit ?? null) : null;
  const terms = directDebit
    ? `Keine Überweisung nötig: Einzug per SEPA-Lastschrift am ${directDebit.collectionDate.split("-").reverse().join(".")} (Mandat ${directDebit.mandateReference}, Gläubiger-ID ${directDebit.creditorId}).`
    : dueDate
    ? `Zahlbar ohne Abzug bis ${dueDate.split("-").reverse().join(".")}.`
    : src.kind === "credit_note"
      ? "Der Betrag wird erstattet bzw. verrechnet."
      : "Zahlbar ohne Abzug.";

  const invoice = {
    "ubl:Invoice": {
      "cbc:ID": src.invoiceNumber,
      "cbc:IssueDate": src.invoiceDate,
      ...(dueDate && src.kind === "invoice" ? { "cbc:DueDate": dueDate } : {}),
      "cbc:InvoiceTypeCode": src.kind === "credit_note" ? "381" : "380",
      ...(noteParts.length ? { "cbc:Note": [noteParts.join("\n")] } : {}),
      "cbc:DocumentCurrencyCode": "EUR",
      "cbc:BuyerReference": buyerReference,
      "cac:InvoicePeriod": { "cbc:StartDate": src.servicePeriodStart, "cbc:EndDate": src.servicePeriodEnd },
      ...(src.cancels
        ? {
            "cac:BillingReference": [
              {
                "cac:InvoiceDocumentReference": {
                  "cbc:ID": src.cancels.invoiceNumber,
                  ...(src.cancels.invoiceDate ? { "cbc:IssueDate": src.cancels.invoiceDate } : {}),
                },
              },
            ],
          }
        : {}),
      "cac:AccountingSupplierParty": {
        "cac:Party": {
          "cbc:EndpointID": issuer.email,
          "cbc:EndpointID@schemeID": "EM",
          // BT-90: the creditor identifier of a direct debit, as EN 16931's UBL binding places it.
          ...(directDebit ? { "cac:PartyIdentification": [{ "cbc:ID": directDebit.creditorId, "cbc:ID@schemeID": "SEPA" }] } : {}),
          "cac:PartyName": { "cbc:Name": issuer.name },
          "cac:PostalAddress": postalAddress(issuer.address_lines),
          ...(sellerTaxSchemes.length ? { "cac:PartyTaxScheme": sellerTaxSchemes } : {}),
          "cac:PartyLegalEntity": {
            "cbc:RegistrationName": issuer.name,
            ...(issuer.commercial_register ? { "cbc:CompanyLegalForm": issuer.commercial_register } : {}),
          },
          "cac:Contact": {
            "cbc:Name": issuer.managing_directors ?? issuer.name,
            "cbc:Telephone": issuer.phone ?? "-",
            "cbc:ElectronicMail": issuer.email,
          },
        },
      },
      "cac:AccountingCustomerParty": {
        "cac:Party": {
          ...(src.buyerEmail ? { "cbc:EndpointID": src.buyerEmail, "cbc:EndpointID@schemeID": "EM" } : {}),
          ...(src.recipient.customer_number
            ? { "cac:PartyIdentification": { "cbc:ID": src.recipient.customer_number } }
            : {}),
          "cac:PartyName": { "cbc:Name": src.recipient.company_name },
          "cac:PostalAddress": buyerAddress(src.recipient),
          ...(src.recipient.vat_id
            ? { "cac:PartyTaxScheme": { "cbc:CompanyID": src.recipient.vat_id, "cac:TaxScheme": { "cbc:ID": "VAT" } } }
            : {}),
          "cac:PartyLegalEntity": { "cbc:RegistrationName": src.recipient.company_name },
          ...(src.recipient.name ? { "cac:Contact": { "cbc:Name": src.recipient.name } } : {}),
        },
      },
      "cac:Delivery": { "cbc:ActualDeliveryDate": src.servicePeriodEnd },
      "cac:PaymentMeans": [
        src.kind === "credit_note"
          ? { "cbc:PaymentMeansCode": "97", "cbc:PaymentMeansCode@name": "Verrechnung", "cbc:PaymentID": src.invoiceNumber }
          : directDebit
            ? {
                "cbc:PaymentMeansCode": "59",
                "cbc:PaymentMeansCode@name": "SEPA direct debit",
                "cbc:PaymentID": src.invoiceNumber,
                "cac:PaymentMandate": { "cbc:ID": directDebit.mandateReference, "cac:PayerFinancialAccount": { "cbc:ID": directDebit.debtorIban } },
              }
            : {
          "cbc:PaymentMeansCode": "58",
          "cbc:PaymentMeansCode@name": "SEPA credit transfer",
          "cbc:PaymentID": src.invoiceNumber,
          "cac:PayeeFinancialAccount": {
            "cbc:ID": iban,
            "cbc:Name": issuer.bank.account_holder,
            "cac:FinancialInstitutionBranch": { "cbc:ID": issuer.bank.bic },
          },
            },
      ],
      "cac:PaymentTerms": { "cbc:Note": terms },
      "cac:TaxTotal": [
        {
          "cbc:TaxAmount": eur(calc.totals.vat_cents),
          "cbc:TaxAmount@currencyID": "EUR",
          "cac:TaxSubtotal": calc.breakdown.map((entry) => {
            const id = taxCategoryId(entry.vat_rate, src.reverseCharge, src.recipient);
            return {
              "cbc:TaxableAmount": eur(entry.net_cents),
              "cbc:TaxableAmount@currencyID": "EUR",
              "cbc:TaxAmount": eur(entry.vat_cents),
              "cbc:TaxAmount@currencyID": "EUR",
              "cac:TaxCategory": {
                "cbc:ID": id,
                "cbc:Percent": percent(entry.vat_rate),
                ...exemption(id, src.recipient),
                "cac:TaxScheme": { "cbc:ID": "VAT" },
              },
            };
          }),
        },
      ],
      "cac:LegalMonetaryTotal": {
        "cbc:LineExtensionAmount": eur(calc.totals.net_cents),
        "cbc:LineExtensionAmount@currencyID": "EUR",
        "cbc:TaxExclusiveAmount": eur(calc.totals.net_cents),
        "cbc:TaxExclusiveAmount@currencyID": "EUR",
        "cbc:TaxInclusiveAmount": eur(calc.totals.gross_cents),
        "cbc:TaxInclusiveAmount@currencyID": "EUR",
        "cbc:PayableAmount": eur(calc.totals.gross_cents),
        "cbc:PayableAmount@currencyID": "EUR",
      },
      "cac:InvoiceLine": lines.map((line, index) => ({
        "cbc:ID": String(line.position ?? index + 1),
        "cbc:InvoicedQuantity": quantity(line.quantity_milli),
        "cbc:InvoicedQuantity@unitCode": unitCode(line.unit),
        "cbc:LineExtensionAmount": eur(line.net_cents),
        "cbc:LineExtensionAmount@currencyID": "EUR",
        "cac:Item": {
          "cbc:Name": line.description,
          "cac:ClassifiedTaxCategory": {
            "cbc:ID": taxCategoryId(line.vat_rate, src.reverseCharge, src.recipient),
            "cbc:Percent": percent(line.vat_rate),
            "cac:TaxScheme": { "cbc:ID": "VAT" },
          },
        },
        "cac:Price": {
          "cbc:PriceAmount": eur(line.unit_price_cents),
          "cbc:PriceAmount@currencyID": "EUR",
        },
      })),
    },
  };
  return invoice as unknown as Invoice;
}
