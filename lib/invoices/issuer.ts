import type { IssuerConfig } from "@/lib/invoices/pdf/types";

/**
 * Reads the invoice issuer (the MSP) from environment variables:
 *
 *   INVOICE_ISSUER_NAME                 required
 *   INVOICE_ISSUER_ADDRESS              required, lines separated by "|" or newline
 *   INVOICE_ISSUER_TAX_NUMBER           Steuernummer  } at least one
 *   INVOICE_ISSUER_VAT_ID               USt-IdNr.     }
 *   INVOICE_ISSUER_EMAIL                required
 *   INVOICE_ISSUER_PHONE, INVOICE_ISSUER_WEBSITE, INVOICE_ISSUER_MANAGING_DIRECTORS,
 *   INVOICE_ISSUER_COMMERCIAL_REGISTER, INVOICE_ISSUER_LOGO_PATH   optional
 *   INVOICE_ISSUER_BANK_ACCOUNT_HOLDER  default: INVOICE_ISSUER_NAME
 *   INVOICE_ISSUER_IBAN, INVOICE_ISSUER_BIC, INVOICE_ISSUER_BANK_NAME   required
 *   INVOICE_PAYMENT_TERMS_DAYS          default 14
 *
 * Throws an Error listing all missing variables.
 */
export function loadIssuerConfigFromEnv(env: Record<string, string | undefined> = process.env): IssuerConfig {
  const get = (key: string): string | null => {
    const value = env[key]?.trim();
    return value ? value : null;
  };
  const missing: string[] = [];
  const required = (key: string): string => {
    const value = get(key);
    if (value === null) missing.push(key);
    return value ?? "";
  };

  const name = required("INVOICE_ISSUER_NAME");
  const address = required("INVOICE_ISSUER_ADDRESS");
  const email = required("INVOICE_ISSUER_EMAIL");
  const iban = required("INVOICE_ISSUER_IBAN");
  const bic = required("INVOICE_ISSUER_BIC");
  const bankName = required("INVOICE_ISSUER_BANK_NAME");
  const taxNumber = get("INVOICE_ISSUER_TAX_NUMBER");
  const vatId = get("INVOICE_ISSUER_VAT_ID");
  if (!taxNumber && !vatId) missing.push("INVOICE_ISSUER_TAX_NUMBER or INVOICE_ISSUER_VAT_ID");

  const termsRaw = get("INVOICE_PAYMENT_TERMS_DAYS") ?? "14";
  const terms = Number(termsRaw);
  if (!Number.isInteger(terms) || terms < 0 || terms > 365) {
    throw new Error(`INVOICE_PAYMENT_TERMS_DAYS must be an integer 0..365, got "${termsRaw}"`);
  }
  if (missing.length > 0) throw new Error(`Invoice issuer configuration incomplete: ${missing.join(", ")}`);

  return {
    name,
    address_lines: address
      .split(/\||\r?\n|\\n/)
      .map((line) => line.trim())
      .filter(Boolean),
    tax_number: taxNumber,
    vat_id: vatId,
    email,
    phone: get("INVOICE_ISSUER_PHONE"),
    website: get("INVOICE_ISSUER_WEBSITE"),
    managing_directors: get("INVOICE_ISSUER_MANAGING_DIRECTORS"),
    commercial_register: get("INVOICE_ISSUER_COMMERCIAL_REGISTER"),
    bank: {
      account_holder: get("INVOICE_ISSUER_BANK_ACCOUNT_HOLDER") ?? name,
      iban: iban.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 "),
      bic,
      bank_name: bankName,
    },
    payment_terms_days: terms,
    logo_path: get("INVOICE_ISSUER_LOGO_PATH"),
  };
}
