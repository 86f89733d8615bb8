/**
 * SEPA creditor identifier (Gläubiger-Identifikationsnummer), e.g. `DE98ZZZ09999999999`:
 * country code, two check digits, a three-character business code (Geschäftsbereichskennung,
 * not part of the check) and the national identifier. The check digits follow ISO 7064
 * mod 97-10 over national identifier + country code + "00" (letters A=10 … Z=35), as for IBANs.
 * Imports nothing (lib/config.ts validates SEPA_CREDITOR_ID with it).
 */
export function normalizeCreditorId(raw: string): string {
  return raw.replace(/\s+/g, "").toUpperCase();
}

function mod97(digits: string): number {
  let rest = 0;
  for (const ch of digits) rest = (rest * 10 + Number(ch)) % 97;
  return rest;
}

function toDigits(value: string): string {
  return [...value].map((ch) => (/[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch)).join("");
}

/** Check digits (two characters) for the given country and national identifier. */
export function creditorIdCheckDigits(countryCode: string, nationalId: string): string {
  return String(98 - mod97(toDigits(`${nationalId}${countryCode}00`))).padStart(2, "0");
}

export function isValidCreditorId(raw: string): boolean {
  const id = normalizeCreditorId(raw);
  const match = /^([A-Z]{2})(\d{2})([A-Z0-9]{3})([A-Z0-9]{1,28})$/.exec(id);
  if (!match) return false;
  const [, country, check, , national] = match;
  return creditorIdCheckDigits(country!, national!) === check;
}
