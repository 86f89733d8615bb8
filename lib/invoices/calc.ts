/**
 * Pure invoice calculation in integer cents.
 *
 * - Quantities are decimals with at most 3 places, held as thousandths (quantity_milli).
 * - VAT rates are basis points: 1900 = 19 %, 700 = 7 %, 0 = 0 %.
 * - Line net = quantity × unit price, rounded per line to whole cents.
 * - VAT is computed per rate on the summed net of that rate (usual German method),
 *   not per line.
 * - Rounding is commercial ("kaufmännisch"): half away from zero, so a credit note
 *   with negated quantities is the exact mirror image of the original invoice.
 */

export class InvoiceCalcError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvoiceCalcError";
  }
}

/** VAT rate in basis points (1900 = 19 %). */
export type VatRateBp = number;

export const VAT_RATES = { standard: 1900, reduced: 700, zero: 0 } as const;

export interface InvoiceItemInput {
  description: string;
  /** Decimal with up to 3 places, "1,5" / "1.5" / 1.5 / "-2". */
  quantity: string | number;
  unit: string;
  /** Net unit price in cents, may be negative (discounts, credit notes). */
  unit_price_cents: number;
  /** Basis points: 1900 = 19 %. */
  vat_rate: VatRateBp;
}

export interface CalculatedLine {
  /** 1-based position on the invoice. */
  position: number;
  description: string;
  /** Quantity in thousandths: 1.5 → 1500. */
  quantity_milli: number;
  unit: string;
  unit_price_cents: number;
  vat_rate: VatRateBp;
  /** quantity × unit price, rounded half away from zero to cents. */
  net_cents: number;
}

export interface VatBreakdownEntry {
  vat_rate: VatRateBp;
  net_cents: number;
  vat_cents: number;
  gross_cents: number;
}

export interface InvoiceTotals {
  net_cents: number;
  vat_cents: number;
  gross_cents: number;
}

export interface InvoiceCalculation {
  lines: CalculatedLine[];
  /** One entry per VAT rate used, highest rate first. */
  breakdown: VatBreakdownEntry[];
  totals: InvoiceTotals;
}

export interface CalculateOptions {
  /** Reverse charge (§13b UStG): every line must carry 0 % VAT. */
  reverse_charge?: boolean;
}

/** Divides with rounding half away from zero (BigInt, exact). */
function divRoundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new InvoiceCalcError("denominator must be positive");
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const q = (abs * 2n + denominator) / (denominator * 2n);
  return negative ? -q : q;
}

function toSafeNumber(value: bigint, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvoiceCalcError(`${what} out of range`);
  return n === 0 ? 0 : n; // no -0
}

/** "1,5" | "1.5" | 1.5 → 1500; max. 3 decimals, negative allowed. */
export function parseQuantityToMilli(quantity: string | number): number {
  let text: string;
  if (typeof quantity === "number") {
    if (!Number.isFinite(quantity)) throw new InvoiceCalcError(`Invalid quantity: ${String(quantity)}`);
    text = String(quantity);
  } else if (typeof quantity === "string") {
    text = quantity.trim().replace(",", ".");
  } else {
    throw new InvoiceCalcError("Quantity must be a string or number");
  }
  const match = /^([-+]?)(\d+)(?:\.(\d+))?$/.exec(text) ?? /^([-+]?)()\.(\d+)$/.exec(text);
  if (!match) throw new InvoiceCalcError(`Invalid quantity: "${String(quantity)}"`);
  const [, sign, intDigits, fracDigits = ""] = match;
  if (fracDigits.length > 3) {
    throw new InvoiceCalcError(`Quantity has more than three decimals: "${String(quantity)}"`);
  }
  const milli = Number(intDigits || "0") * 1000 + Number(fracDigits.padEnd(3, "0"));
  if (!Number.isSafeInteger(milli)) throw new InvoiceCalcError(`Quantity out of range: "${String(quantity)}"`);
  if (milli === 0) return 0;
  return sign === "-" ? -milli : milli;
}

/** 1500 → "1.5", -250 → "-0.25" (machine format, e.g. for DB numeric columns). */
export function milliToDecimalString(quantityMilli: number): string {
  if (!Number.isSafeInteger(quantityMilli)) throw new InvoiceCalcError("quantity_milli must be an integer");
  const negative = quantityMilli < 0;
  const abs = Math.abs(quantityMilli);
  const frac = String(abs % 1000).padStart(3, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${Math.floor(abs / 1000)}${frac ? `.${frac}` : ""}`;
}

/** 1500 → "1,5", 2000 → "2", -250 → "-0,25", 1234500 → "1.234,5". */
export function formatQuantity(quantityMilli: number): string {
  if (!Number.isSafeInteger(quantityMilli)) throw new InvoiceCalcError("quantity_milli must be an integer");
  const negative = quantityMilli < 0;
  const abs = Math.abs(quantityMilli);
  const int = String(Math.floor(abs / 1000)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  const frac = String(abs % 1000).padStart(3, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${int}${frac ? `,${frac}` : ""}`;
}

/** 1900 → "19 %", 750 → "7,5 %", 0 → "0 %". */
export function formatVatRate(vatRate: VatRateBp): string {
  assertVatRate(vatRate);
  const int = Math.floor(vatRate / 100);
  const frac = String(vatRate % 100).padStart(2, "0").replace(/0+$/, "");
  return `${int}${frac ? `,${frac}` : ""} %`;
}

function assertVatRate(vatRate: number): void {
  if (!Number.isInteger(vatRate) || vatRate < 0 || vatRate > 10000) {
    throw new InvoiceCalcError(`VAT rate must be integer basis points 0..10000, got ${String(vatRate)}`);
  }
}

/** Net amount of one line: quantity_milli × unit price / 1000, rounded half away from zero. */
export function lineNetCents(quantityMilli: number, unitPriceCents: number): number {
  if (!Number.isSafeInteger(quantityMilli)) throw new InvoiceCalcError("quantity_milli must be an integer");
  if (!Number.isSafeInteger(unitPriceCents)) throw new InvoiceCalcError("unit_price_cents must be an integer");
  return toSafeNumber(divRoundHalfAwayFromZero(BigInt(quantityMilli) * BigInt(unitPriceCents), 1000n), "Line net");
}

/** VAT on a net amount: net × rate / 10000, rounded half away from zero. */
export function vatCents(netCents: number, vatRate: VatRateBp): number {
  assertVatRate(vatRate);
  if (!Number.isSafeInteger(netCents)) throw new InvoiceCalcError("net_cents must be an integer");
  return toSafeNumber(divRoundHalfAwayFromZero(BigInt(netCents) * BigInt(vatRate), 10000n), "VAT");
}

/** Calculates lines, per-rate breakdown and totals. Throws InvoiceCalcError on invalid input. */
export function calculateInvoice(items: readonly InvoiceItemInput[], options: CalculateOptions = {}): InvoiceCalculation {
  const lines: CalculatedLine[] = items.map((item, index) => {
    if (typeof item.description !== "string" || item.description.trim() === "") {
      throw new InvoiceCalcError(`Item ${index + 1}: description is required`);
    }
    assertVatRate(item.vat_rate);
    if (options.reverse_charge && item.vat_rate !== 0) {
      throw new InvoiceCalcError(`Item ${index + 1}: reverse charge requires 0 % VAT`);
    }
    const quantity_milli = parseQuantityToMilli(item.quantity);
    return {
      position: index + 1,
      description: item.description,
      quantity_milli,
      unit: item.unit,
      unit_price_cents: item.unit_price_cents,
      vat_rate: item.vat_rate,
      net_cents: lineNetCents(quantity_milli, item.unit_price_cents),
    };
  });
  return summarizeLines(lines);
}

/** Builds breakdown and totals from already calculated lines (e.g. loaded from the DB). */
export function summarizeLines(lines: readonly CalculatedLine[]): InvoiceCalculation {
  const netByRate = new Map<number, bigint>();
  for (const line of lines) {
    assertVatRate(line.vat_rate);
    netByRate.set(line.vat_rate, (netByRate.get(line.vat_rate) ?? 0n) + BigInt(line.net_cents));
  }
  const breakdown: VatBreakdownEntry[] = [...netByRate.entries()]
    .sort(([a], [b]) => b - a)
    .map(([vat_rate, net]) => {
      const net_cents = toSafeNumber(net, "Net per rate");
      const vat = vatCents(net_cents, vat_rate);
      return { vat_rate, net_cents, vat_cents: vat, gross_cents: net_cents + vat };
    });
  const net_cents = breakdown.reduce((sum, entry) => sum + entry.net_cents, 0);
  const vat_cents = breakdown.reduce((sum, entry) => sum + entry.vat_cents, 0);
  const totals: InvoiceTotals = { net_cents, vat_cents, gross_cents: net_cents + vat_cents };
  for (const value of Object.values(totals)) {
    if (!Number.isSafeInteger(value)) throw new InvoiceCalcError("Totals out of range");
  }
  return { lines: [...lines], breakdown, totals };
}

/**
 * Items of a cancellation invoice (Stornorechnung) for the given original items:
 * same prices, negated quantities, so every amount is the exact negative.
 */
export function negateItems(items: readonly InvoiceItemInput[]): InvoiceItemInput[] {
  return items.map((item) => {
    const milli = parseQuantityToMilli(item.quantity);
    return { ...item, quantity: milliToDecimalString(-milli) };
  });
}

// ---------------------------------------------------------------------------
// Payments and status

export interface PaymentInput {
  /** YYYY-MM-DD */
  payment_date: string;
  amount_cents: number;
  method?: string | null;
  reference?: string | null;
}

export interface PaymentSummary {
  paid_cents: number;
  /** gross − paid; negative for credit notes not yet refunded. */
  remaining_cents: number;
}

export function summarizePayments(grossCents: number, payments: readonly Pick<PaymentInput, "amount_cents">[]): PaymentSummary {
  if (!Number.isSafeInteger(grossCents)) throw new InvoiceCalcError("gross_cents must be an integer");
  let paid = 0;
  for (const payment of payments) {
    if (!Number.isSafeInteger(payment.amount_cents)) throw new InvoiceCalcError("Payment amount must be integer cents");
    paid += payment.amount_cents;
  }
  if (!Number.isSafeInteger(paid)) throw new InvoiceCalcError("Payments out of range");
  return { paid_cents: paid, remaining_cents: grossCents - paid };
}

export const INVOICE_STATUSES = ["draft", "sent", "partially_paid", "paid", "overdue", "cancelled"] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const INVOICE_STATUS_LABELS: Record<InvoiceStatus, string> = {
  draft: "Entwurf",
  sent: "Offen",
  partially_paid: "Teilweise bezahlt",
  paid: "Bezahlt",
  overdue: "Überfällig",
  cancelled: "Storniert",
};

export interface DeriveStatusInput {
  issued: boolean;
  cancelled: boolean;
  gross_cents: number;
  paid_cents: number;
  /** YYYY-MM-DD; null = no due date, never overdue. */
  due_date: string | null;
  /** YYYY-MM-DD, see todayIsoDate(). */
  today: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * draft     – not issued yet
 * cancelled – cancelled (takes precedence over everything else once issued or not)
 * paid      – nothing outstanding (also for 0 € invoices and overpayments)
 * overdue   – outstanding amount and due_date < today
 * partially_paid – outstanding, some payment booked, not overdue
 * sent      – outstanding, no payment, not overdue
 * For credit notes (negative gross) "outstanding" means not yet fully refunded.
 */
export function deriveStatus(input: DeriveStatusInput): InvoiceStatus {
  if (input.cancelled) return "cancelled";
  if (!input.issued) return "draft";
  if (!ISO_DATE.test(input.today)) throw new InvoiceCalcError(`today must be YYYY-MM-DD, got "${input.today}"`);
  if (input.due_date !== null && !ISO_DATE.test(input.due_date)) {
    throw new InvoiceCalcError(`due_date must be YYYY-MM-DD, got "${input.due_date}"`);
  }
  const remaining = input.gross_cents - input.paid_cents;
  const outstanding = input.gross_cents >= 0 ? remaining > 0 : remaining < 0;
  if (!outstanding) return "paid";
  if (input.due_date !== null && input.due_date < input.today) return "overdue";
  if (input.paid_cents !== 0) return "partially_paid";
  return "sent";
}

/** One formatter per time zone: creating an Intl.DateTimeFormat costs more than a whole /status answer's JSON. */
// Dates: lib/time.ts. `todayIsoDate` is re-exported for the benchmark server, which imports it from here.
export { todayIsoDate } from "@/lib/time";
