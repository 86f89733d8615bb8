/**
 * Money helpers. All amounts are integer euro cents internally; floating-point
 * numbers only appear at the API boundary (`centsToNumber`) and are parsed back
 * strictly (`parseEuroToCents`).
 */

export class MoneyParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MoneyParseError";
  }
}

function assertCents(cents: number): void {
  if (!Number.isSafeInteger(cents)) {
    throw new RangeError(`Cent amount must be a safe integer, got ${String(cents)}`);
  }
}

/** Groups the digits of a non-negative integer string with German thousands dots. */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

/**
 * Formats an amount without currency symbol: 123456 → "1.234,56", -1200 → "-12,00".
 * Pure integer arithmetic, independent of the ICU data of the runtime.
 */
export function formatEuroNumber(cents: number): string {
  assertCents(cents);
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100);
  const rest = abs % 100;
  const body = `${groupThousands(String(euros))},${String(rest).padStart(2, "0")}`;
  return negative ? `-${body}` : body;
}

/**
 * Formats cents as German euro string with a normal space before the sign:
 * 4900 → "49,00 €", 123456 → "1.234,56 €", -1200 → "-12,00 €".
 * (Intl.NumberFormat('de-DE') would use U+00A0; the API contract is a plain space.)
 */
export function formatEuro(cents: number): string {
  return `${formatEuroNumber(cents)} €`;
}

/** 4900 → 49, 4999 → 49.99 (JSON number for the API). */
export function centsToNumber(cents: number): number {
  assertCents(cents);
  // Integer / 100 is correctly rounded, i.e. the double nearest to the 2-decimal value.
  const value = cents / 100;
  return Object.is(value, -0) ? 0 : value;
}

const GROUPED_DOT = /^\d{1,3}(\.\d{3})+$/; // 1.234 / 1.234.567 (German thousands)
const GROUPED_COMMA = /^\d{1,3}(,\d{3})+$/; // 1,234 (English thousands)

/**
 * Parses a euro amount into integer cents.
 * Accepts numbers (49, 49.5, 49.99) and strings such as "49", "49,00", "49.00",
 * "1.234,56", "1,234.56", "1.234.567,00", "-12,00", "49,00 €", "€ 49".
 * A single dot or a single comma is the decimal separator, therefore "1.234" is
 * rejected (three decimals) instead of being guessed as 1234 €.
 * Throws MoneyParseError for anything else, including more than two decimals.
 */
export function parseEuroToCents(input: string | number): number {
  if (typeof input === "number") {
    if (!Number.isFinite(input)) throw new MoneyParseError(`Invalid amount: ${String(input)}`);
    const text = String(input); // shortest round-trip representation, e.g. 0.1+0.2 → "0.30000000000000004"
    if (/e/i.test(text)) throw new MoneyParseError(`Invalid amount: ${text}`);
    return parseEuroToCents(text);
  }
  if (typeof input !== "string") throw new MoneyParseError("Amount must be a string or number");

  let text = input.replace(/[\s\u00a0\u202f]/g, "").replace(/€|EUR/gi, "");
  let negative = false;
  if (/^[-\u2212]/.test(text)) {
    negative = true;
    text = text.slice(1);
  } else if (text.startsWith("+")) {
    text = text.slice(1);
  }
  if (text === "") throw new MoneyParseError(`Invalid amount: "${input}"`);

  let intPart: string;
  let fracPart = "";
  let hasDecimal = false;
  const lastComma = text.lastIndexOf(",");
  const lastDot = text.lastIndexOf(".");
  const commaCount = text.split(",").length - 1;
  const dotCount = text.split(".").length - 1;

  if (commaCount > 0 && dotCount > 0) {
    // Both present: the last one is the decimal separator.
    const decimalSep = lastComma > lastDot ? "," : ".";
    const decimalIndex = Math.max(lastComma, lastDot);
    intPart = text.slice(0, decimalIndex);
    fracPart = text.slice(decimalIndex + 1);
    hasDecimal = true;
    const grouped = decimalSep === "," ? GROUPED_DOT : GROUPED_COMMA;
    if (!grouped.test(intPart)) throw new MoneyParseError(`Invalid amount: "${input}"`);
    intPart = intPart.replace(/[.,]/g, "");
  } else if (commaCount > 1 || dotCount > 1) {
    // Several separators of one kind without decimals: "1.234.567"
    const grouped = dotCount > 1 ? GROUPED_DOT : GROUPED_COMMA;
    if (!grouped.test(text)) throw new MoneyParseError(`Invalid amount: "${input}"`);
    intPart = text.replace(/[.,]/g, "");
  } else if (commaCount === 1 || dotCount === 1) {
    const decimalIndex = commaCount === 1 ? lastComma : lastDot;
    intPart = text.slice(0, decimalIndex);
    fracPart = text.slice(decimalIndex + 1);
    hasDecimal = true;
    if (intPart === "") intPart = "0"; // ",50"
  } else {
    intPart = text;
  }

  if (!/^\d+$/.test(intPart)) throw new MoneyParseError(`Invalid amount: "${input}"`);
  if (fracPart !== "" && !/^\d+$/.test(fracPart)) throw new MoneyParseError(`Invalid amount: "${input}"`);
  if (fracPart.length > 2) {
    throw new MoneyParseError(`Amount has more than two decimals: "${input}"`);
  }
  if (hasDecimal && fracPart === "") {
    throw new MoneyParseError(`Invalid amount: "${input}"`); // "49," / "49."
  }

  const cents = Number(intPart) * 100 + Number(fracPart.padEnd(2, "0"));
  if (!Number.isSafeInteger(cents)) throw new MoneyParseError(`Amount too large: "${input}"`);
  if (cents === 0) return 0;
  return negative ? -cents : cents;
}

/** Like parseEuroToCents but returns null instead of throwing. */
export function tryParseEuroToCents(input: string | number): number | null {
  try {
    return parseEuroToCents(input);
  } catch {
    return null;
  }
}
