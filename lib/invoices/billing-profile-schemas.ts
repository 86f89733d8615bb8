/**
 * Input schemas of the billing profile (German messages) and the checks behind them.
 *
 * - Country: ISO 3166-1 alpha-2 from the list below (EU members plus the usual non-EU
 *   neighbours and trading partners); it decides the post code and VAT ID formats and
 *   which VAT treatments make sense (reverse charge only for other EU countries, "outside
 *   the EU" only for non-EU countries).
 * - VAT ID: the country prefix and format of the EU's VIES rules (Greece uses "EL"). Only
 *   the format is checked here; whether the number exists is VIES' business.
 * - Leitweg-ID: Grobadressierung (2–12 digits), optional Feinadressierung (up to 30 letters
 *   or digits), two check digits after ISO 7064 Mod 97-10 over the rest (letters A–Z count
 *   as 10–35), as KoSIT specifies it.
 */
import { EINVOICE_FORMATS, VAT_TREATMENTS } from "@/db/schema/billing";
import { emailField, z } from "@/lib/validation";

export const EU_COUNTRIES = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"] as const;

export const COUNTRY_NAMES: Record<string, string> = {
  DE: "Deutschland",
  AT: "Österreich",
  BE: "Belgien",
  BG: "Bulgarien",
  CY: "Zypern",
  CZ: "Tschechien",
  DK: "Dänemark",
  EE: "Estland",
  ES: "Spanien",
  FI: "Finnland",
  FR: "Frankreich",
  GR: "Griechenland",
  HR: "Kroatien",
  HU: "Ungarn",
  IE: "Irland",
  IT: "Italien",
  LT: "Litauen",
  LU: "Luxemburg",
  LV: "Lettland",
  MT: "Malta",
  NL: "Niederlande",
  PL: "Polen",
  PT: "Portugal",
  RO: "Rumänien",
  SE: "Schweden",
  SI: "Slowenien",
  SK: "Slowakei",
  CH: "Schweiz",
  LI: "Liechtenstein",
  NO: "Norwegen",
  GB: "Vereinigtes Königreich",
  US: "Vereinigte Staaten",
};
export const COUNTRY_CODES = Object.keys(COUNTRY_NAMES);

export function isEuCountry(code: string) {
  return (EU_COUNTRIES as readonly string[]).includes(code);
}

/** Post code formats with an example for the error message; other countries: 2–10 letters/digits. */
const POST_CODES: Record<string, [RegExp, string]> = {
  DE: [/^\d{5}$/, "5 Ziffern, z. B. 70565"],
  AT: [/^\d{4}$/, "4 Ziffern, z. B. 1010"],
  CH: [/^\d{4}$/, "4 Ziffern, z. B. 8001"],
  LI: [/^\d{4}$/, "4 Ziffern, z. B. 9490"],
  BE: [/^\d{4}$/, "4 Ziffern, z. B. 1000"],
  LU: [/^\d{4}$/, "4 Ziffern, z. B. 1111"],
  DK: [/^\d{4}$/, "4 Ziffern, z. B. 1050"],
  NO: [/^\d{4}$/, "4 Ziffern, z. B. 0150"],
  FR: [/^\d{5}$/, "5 Ziffern, z. B. 75001"],
  IT: [/^\d{5}$/, "5 Ziffern, z. B. 00118"],
  ES: [/^\d{5}$/, "5 Ziffern, z. B. 28001"],
  FI: [/^\d{5}$/, "5 Ziffern, z. B. 00100"],
  NL: [/^\d{4} ?[A-Z]{2}$/, "4 Ziffern und 2 Buchstaben, z. B. 1011 AB"],
  PL: [/^\d{2}-\d{3}$/, "z. B. 00-001"],
  CZ: [/^\d{3} ?\d{2}$/, "z. B. 110 00"],
  SE: [/^\d{3} ?\d{2}$/, "z. B. 111 22"],
  PT: [/^\d{4}-\d{3}$/, "z. B. 1000-001"],
};

/** VAT ID formats (VIES); the prefix is the country code except Greece (EL). */
const VAT_IDS: Record<string, [RegExp, string]> = {
  AT: [/^ATU\d{8}$/, "ATU12345678"],
  BE: [/^BE[01]\d{9}$/, "BE0123456789"],
  BG: [/^BG\d{9,10}$/, "BG123456789"],
  CY: [/^CY\d{8}[A-Z]$/, "CY12345678X"],
  CZ: [/^CZ\d{8,10}$/, "CZ12345678"],
  DE: [/^DE\d{9}$/, "DE123456789"],
  DK: [/^DK\d{8}$/, "DK12345678"],
  EE: [/^EE\d{9}$/, "EE123456789"],
  ES: [/^ES[A-Z0-9]\d{7}[A-Z0-9]$/, "ESX1234567X"],
  FI: [/^FI\d{8}$/, "FI12345678"],
  FR: [/^FR[A-HJ-NP-Z0-9]{2}\d{9}$/, "FR12345678901"],
  GR: [/^EL\d{9}$/, "EL123456789"],
  HR: [/^HR\d{11}$/, "HR12345678901"],
  HU: [/^HU\d{8}$/, "HU12345678"],
  IE: [/^IE(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$/, "IE1234567X"],
  IT: [/^IT\d{11}$/, "IT12345678901"],
  LT: [/^LT(\d{9}|\d{12})$/, "LT123456789"],
  LU: [/^LU\d{8}$/, "LU12345678"],
  LV: [/^LV\d{11}$/, "LV12345678901"],
  MT: [/^MT\d{8}$/, "MT12345678"],
  NL: [/^NL\d{9}B\d{2}$/, "NL123456789B01"],
  PL: [/^PL\d{10}$/, "PL1234567890"],
  PT: [/^PT\d{9}$/, "PT123456789"],
  RO: [/^RO\d{2,10}$/, "RO1234567890"],
  SE: [/^SE\d{12}$/, "SE123456789001"],
  SI: [/^SI\d{8}$/, "SI12345678"],
  SK: [/^SK\d{10}$/, "SK1234567890"],
  CH: [/^CHE\d{9}(MWST|TVA|IVA)?$/, "CHE123456789MWST"],
  GB: [/^GB(\d{9}|\d{12})$/, "GB123456789"],
  NO: [/^NO\d{9}(MVA)?$/, "NO123456789MVA"],
};

/** German message when `postCode` does not fit `country`, else null. */
export function postCodeProblem(country: string, postCode: string): string | null {
  const rule = POST_CODES[country];
  if (rule) return rule[0].test(postCode) ? null : `Die Postleitzahl passt nicht zu ${COUNTRY_NAMES[country] ?? country} (${rule[1]}).`;
  return /^[A-Z0-9][A-Z0-9 -]{1,9}$/i.test(postCode) ? null : "Die Postleitzahl ist ungültig.";
}

/** Normalises "de 123 456 789" → "DE123456789"; German message when it does not fit `country`, else null. */
export function normalizeVatId(value: string) {
  return value.replace(/[\s.-]/g, "").toUpperCase();
}
export function vatIdProblem(country: string, vatId: string): string | null {
  const rule = VAT_IDS[country];
  if (!rule) return /^[A-Z]{2}[A-Z0-9]{2,13}$/.test(vatId) ? null : "Die USt-IdNr. ist ungültig.";
  if (rule[0].test(vatId)) return null;
  const name = COUNTRY_NAMES[country] ?? country;
  return `Die USt-IdNr. hat nicht das Format für ${name} (z. B. ${rule[1]}).`;
}

/** ISO 7064 Mod 97-10 check digits of a Leitweg-ID body (without hyphens and check digits). */
export function leitwegCheckDigits(body: string): string {
  const digits = body
    .toUpperCase()
    .split("")
    .map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55)))
    .join("");
  let rest = 0;
  for (const d of `${digits}00`) rest = (rest * 10 + Number(d)) % 97;
  return String(98 - rest).padStart(2, "0");
}

const LEITWEG_ID = /^(\d{2,12})(?:-([A-Za-z0-9]{1,30}))?-(\d{2})$/;

/** German message when the Leitweg-ID is malformed or its check digits are wrong, else null. */
export function leitwegIdProblem(value: string): string | null {
  const match = LEITWEG_ID.exec(value);
  if (!match) return "Die Leitweg-ID hat nicht das Format Grobadressierung-Feinadressierung-Prüfziffer (z. B. 991-12345-73).";
  const expected = leitwegCheckDigits(`${match[1]}${match[2] ?? ""}`);
  if (match[3] !== expected) return `Die Prüfziffer der Leitweg-ID stimmt nicht (erwartet ${expected}).`;
  return null;
}

const text = (max: number, label: string) => z.string().trim().max(max, { error: `${label} darf höchstens ${max} Zeichen lang sein.` });
const required = (max: number, label: string, missing: string) => text(max, label).min(1, { error: missing });
const optional = (max: number, label: string) =>
  z
    .preprocess((v) => (v === null ? undefined : v), text(max, label).optional())
    .transform((v) => v || null);

/** The address part; customer admins may change only this and the invoice e-mails. */
const addressFields = {
  street: required(200, "Die Straße", "Bitte Straße und Hausnummer angeben."),
  additional_line: optional(200, "Der Adresszusatz"),
  post_code: required(10, "Die Postleitzahl", "Bitte die Postleitzahl angeben.").transform((v) => v.toUpperCase()),
  city: required(100, "Der Ort", "Bitte den Ort angeben."),
  country_code: z
    .string({ error: "Bitte ein Land wählen." })
    .trim()
    .toUpperCase()
    .refine((v) => COUNTRY_CODES.includes(v), { error: "Bitte ein Land aus der Liste wählen." }),
  invoice_emails: z
    .array(emailField, { error: "Bitte die Rechnungs-E-Mail-Adressen als Liste angeben." })
    .max(5, { error: "Höchstens 5 Rechnungs-E-Mail-Adressen." })
    .default([]),
};

type AddressShape = { post_code: string; country_code: string };

function checkAddress(value: AddressShape, ctx: z.RefinementCtx) {
  const problem = postCodeProblem(value.country_code, value.post_code);
  if (problem) ctx.addIssue({ code: "custom", path: ["post_code"], message: problem });
}

export const customerProfileBody = z.object(addressFields).superRefine(checkAddress);
export type CustomerProfileInput = z.infer<typeof customerProfileBody>;

export const EINVOICE_FORMAT_LABELS = {
  xrechnung_ubl: "XRechnung (UBL)",
  xrechnung_cii: "XRechnung (CII)",
  facturx: "ZUGFeRD / Factur-X (EN 16931)",
} as const;
export const VAT_TREATMENT_LABELS = {
  domestic: "Inland (deutsche Umsatzsteuer)",
  eu_reverse_charge: "EU-Ausland, Reverse Charge",
  tax_exempt: "Steuerfrei (mit Befreiungsgrund)",
  outside_eu: "Drittland (nicht steuerbar in Deutschland)",
} as const;

export const staffProfileBody = z
  .object({
    legal_name: required(200, "Der Firmenname", "Bitte den Firmennamen (Rechnungsempfänger) angeben."),
    contact_name: optional(200, "Der Ansprechpartner"),
    ...addressFields,
    vat_id: optional(20, "Die USt-IdNr.").transform((v) => (v ? normalizeVatId(v) : null)),
    leitweg_id: optional(46, "Die Leitweg-ID").transform((v) => (v ? v.toUpperCase() : null)),
    buyer_reference: optional(100, "Die Käuferreferenz"),
    customer_number: optional(40, "Die Kundennummer"),
    einvoice_format: z.enum(EINVOICE_FORMATS, { error: "Bitte ein E-Rechnungsformat wählen (xrechnung_ubl, xrechnung_cii, facturx)." }).default("facturx"),
    vat_treatment: z.enum(VAT_TREATMENTS, { error: "Bitte eine steuerliche Behandlung wählen (domestic, eu_reverse_charge, tax_exempt, outside_eu)." }).default("domestic"),
    exemption_reason: optional(300, "Der Befreiungsgrund"),
  })
  .superRefine((value, ctx) => {
    checkAddress(value, ctx);
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (value.vat_id) {
      const problem = vatIdProblem(value.country_code, value.vat_id);
      if (problem) issue("vat_id", problem);
    }
    if (value.leitweg_id) {
      const problem = leitwegIdProblem(value.leitweg_id);
      if (problem) issue("leitweg_id", problem);
    }
    if (value.einvoice_format !== "facturx" && !value.leitweg_id && !value.buyer_reference) {
      issue("leitweg_id", "Für XRechnung bitte die Leitweg-ID oder eine Käuferreferenz angeben.");
    }
    if (value.invoice_emails.length === 0 && value.einvoice_format !== "facturx") {
      issue("invoice_emails", "Für XRechnung bitte mindestens eine Rechnungs-E-Mail-Adresse angeben.");
    }
    switch (value.vat_treatment) {
      case "eu_reverse_charge":
        if (value.country_code === "DE" || !isEuCountry(value.country_code)) issue("vat_treatment", "Reverse Charge gilt nur für Empfänger in einem anderen EU-Land.");
        if (!value.vat_id) issue("vat_id", "Bei Reverse Charge ist die USt-IdNr. des Empfängers Pflicht.");
        break;
      case "tax_exempt":
        if (!value.exemption_reason) issue("exemption_reason", "Bitte den gesetzlichen Befreiungsgrund angeben (z. B. „Steuerfrei nach § 4 Nr. 21 UStG“).");
        break;
      case "outside_eu":
        if (isEuCountry(value.country_code)) issue("vat_treatment", "„Drittland“ gilt nur für Empfänger außerhalb der EU.");
        break;
    }
  });
export type StaffProfileInput = z.infer<typeof staffProfileBody>;
