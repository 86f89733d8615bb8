/**
 * Account data of a mandate, checked with `ibantools` (IBAN checksum and country format, BIC
 * format, SEPA countries) and the creditor identifier (lib/creditor-id.ts). German field errors.
 */
import { electronicFormatIBAN, extractIBAN, isSEPACountry, isValidBIC, isValidIBAN } from "ibantools";
import { isValidCreditorId, normalizeCreditorId } from "@/lib/creditor-id";

export { isValidCreditorId, normalizeCreditorId };

export type AccountCheck =
  | { ok: true; iban: string; bic: string | null; country: string }
  | { ok: false; errors: Partial<Record<"iban" | "bic", string[]>> };

/** IBAN (spaces allowed) and an optional BIC; the BIC is required outside Germany. */
export function checkAccount(rawIban: string, rawBic?: string | null): AccountCheck {
  const iban = electronicFormatIBAN(rawIban ?? "") ?? "";
  const bic = (rawBic ?? "").replace(/\s+/g, "").toUpperCase() || null;
  const errors: Partial<Record<"iban" | "bic", string[]>> = {};
  if (!iban) errors.iban = ["Bitte die IBAN angeben."];
  else if (!isValidIBAN(iban)) errors.iban = ["Die IBAN ist ungültig (Prüfziffer oder Länge stimmt nicht)."];
  else if (!isSEPACountry(extractIBAN(iban).countryCode ?? "")) errors.iban = ["Die IBAN gehört zu keinem Land des SEPA-Raums."];
  const country = iban.slice(0, 2);
  if (bic && !isValidBIC(bic)) errors.bic = ["Der BIC ist ungültig (8 oder 11 Zeichen, z. B. COBADEFFXXX)."];
  else if (!bic && !errors.iban && country !== "DE") errors.bic = ["Für Konten außerhalb Deutschlands bitte den BIC angeben."];
  if (errors.iban || errors.bic) return { ok: false, errors };
  return { ok: true, iban, bic, country };
}

/** "DE89370400440532013000" → "DE89 3704 0044 0532 0130 00" */
export function groupIban(iban: string): string {
  return iban.replace(/\s+/g, "").replace(/(.{4})/g, "$1 ").trim();
}
