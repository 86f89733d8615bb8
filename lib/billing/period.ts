/**
 * Billing periods are calendar months, written as "YYYY-MM". All dates are ISO
 * strings (YYYY-MM-DD) and all day arithmetic is done in UTC on those strings,
 * so no time zone or DST can shift a day (the day arithmetic itself is lib/time.ts).
 */
import { formatDateDe } from "@/lib/time";

const MONTHS_DE = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"];

export type BillingPeriod = {
  /** "2026-11" */
  key: string;
  year: number;
  month: number;
  /** First day, "2026-11-01". */
  start: string;
  /** Last day (inclusive), "2026-11-30". */
  end: string;
  days: number;
  /** "November 2026" */
  label: string;
};

const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPeriodKey(value: string): boolean {
  return PERIOD_PATTERN.test(value);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number) {
  return String(n).padStart(2, "0");
}

export function billingPeriod(key: string): BillingPeriod {
  const match = PERIOD_PATTERN.exec(key);
  if (!match) throw new RangeError(`Invalid billing period ${key}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const days = daysInMonth(year, month);
  return {
    key,
    year,
    month,
    start: `${year}-${pad(month)}-01`,
    end: `${year}-${pad(month)}-${pad(days)}`,
    days,
    label: `${MONTHS_DE[month - 1]} ${year}`,
  };
}

/** The period containing an ISO date. */
export function periodOf(isoDate: string): BillingPeriod {
  return billingPeriod(isoDate.slice(0, 7));
}

export function nextPeriod(period: BillingPeriod): BillingPeriod {
  const month = period.month === 12 ? 1 : period.month + 1;
  const year = period.month === 12 ? period.year + 1 : period.year;
  return billingPeriod(`${year}-${pad(month)}`);
}

export function maxDate(a: string, b: string) {
  return a > b ? a : b;
}

export function minDate(a: string, b: string) {
  return a < b ? a : b;
}

/** "01.11.2026–14.11.2026" */
export function formatRangeDe(from: string, to: string): string {
  return `${formatDateDe(from)}–${formatDateDe(to)}`;
}
