import { loadIssuerConfigFromEnv } from "@/lib/invoices/issuer";
import type { IssuerConfig } from "@/lib/invoices/pdf/types";
import { UnprocessableError } from "@/lib/errors";

/**
 * Development defaults for the issuer (INVOICE_ISSUER_*), so a fresh clone can issue
 * invoices. In production (NODE_ENV=production and APP_ENV≠test) there are no defaults:
 * issuing without a complete configuration is refused with a clear message, while the
 * rest of the portal keeps working.
 */
export const DEV_ISSUER_ENV: Record<string, string> = {
  INVOICE_ISSUER_NAME: "MyIT Center GmbH",
  INVOICE_ISSUER_ADDRESS: "Musterstraße 1|10115 Berlin",
  INVOICE_ISSUER_TAX_NUMBER: "30/123/45678",
  INVOICE_ISSUER_VAT_ID: "DE123456789",
  INVOICE_ISSUER_EMAIL: "buchhaltung@myit.center",
  INVOICE_ISSUER_PHONE: "+49 30 1234567-0",
  INVOICE_ISSUER_WEBSITE: "www.myit.center",
  INVOICE_ISSUER_MANAGING_DIRECTORS: "Sabine Krüger",
  INVOICE_ISSUER_COMMERCIAL_REGISTER: "Amtsgericht Charlottenburg, HRB 123456 B",
  INVOICE_ISSUER_IBAN: "DE89370400440532013000",
  INVOICE_ISSUER_BIC: "COBADEFFXXX",
  INVOICE_ISSUER_BANK_NAME: "Commerzbank Berlin",
  INVOICE_PAYMENT_TERMS_DAYS: "14",
};

function isProduction(env: Record<string, string | undefined>) {
  return env.NODE_ENV === "production" && env.APP_ENV !== "test";
}

/** The issuer as configured now (env, with development defaults outside production). */
export function currentIssuer(env: Record<string, string | undefined> = process.env): IssuerConfig {
  const merged: Record<string, string | undefined> = { ...env };
  if (!isProduction(env)) {
    for (const [key, value] of Object.entries(DEV_ISSUER_ENV)) {
      if (!merged[key]?.trim()) merged[key] = value;
    }
  }
  try {
    return loadIssuerConfigFromEnv(merged);
  } catch (error) {
    throw new UnprocessableError(
      `Die Rechnungssteller-Angaben sind unvollständig konfiguriert (${(error as Error).message}). Bitte die Umgebungsvariablen INVOICE_ISSUER_* setzen.`,
    );
  }
}

/** Default payment term in days (INVOICE_PAYMENT_TERMS_DAYS, default 14). */
export function defaultPaymentTermsDays(env: Record<string, string | undefined> = process.env): number {
  const raw = env.INVOICE_PAYMENT_TERMS_DAYS?.trim();
  const value = raw ? Number(raw) : 14;
  return Number.isInteger(value) && value >= 0 && value <= 365 ? value : 14;
}
