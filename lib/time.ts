/**
 * Timestamps as the API contract writes them: `2026-03-04T10:00:00+00:00`
 * (whole seconds, numeric UTC offset). Every timestamp of /api/manage and
 * /api/v1 goes through `apiTimestamp`; dates stay `YYYY-MM-DD`.
 */
export function apiTimestamp(value: Date): string;
export function apiTimestamp(value: Date | null | undefined): string | null;
export function apiTimestamp(value: Date | null | undefined): string | null {
  if (!value) return null;
  return `${value.toISOString().slice(0, 19)}+00:00`;
}

/** The pattern of `apiTimestamp`, for schemas and tests. */
export const API_TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/;

// ---------------------------------------------------------------------------
// Calendar dates (`YYYY-MM-DD`). The one home of date arithmetic: every date is a
// calendar day, computed in UTC so no daylight-saving change shifts it; "today" is
// the day in Europe/Berlin (the MSP's books).

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
const isoDateFormats = new Map<string, Intl.DateTimeFormat>();

function dayNumber(isoDate: string): number {
  if (!ISO_DATE.test(isoDate)) throw new RangeError(`Date must be YYYY-MM-DD, got "${isoDate}"`);
  return Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS;
}

/** The calendar date of `now` in `timeZone` (default Europe/Berlin) as YYYY-MM-DD. */
export function todayIsoDate(now: Date = new Date(), timeZone = "Europe/Berlin"): string {
  let format = isoDateFormats.get(timeZone);
  if (!format) isoDateFormats.set(timeZone, (format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })));
  const parts = format.formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** YYYY-MM-DD plus `days` (negative: earlier). */
export function addDays(isoDate: string, days: number): string {
  return new Date((dayNumber(isoDate) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Days elapsed from `from` to `to`: 0 on the same day, negative when `to` is earlier (days overdue). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** How many calendar days the range `from`…`to` covers, both included; 0 for an empty range (days billed). */
export function daysInclusive(from: string, to: string): number {
  return Math.max(0, daysBetween(from, to) + 1);
}

/** YYYY-MM-DD → DD.MM.YYYY */
export function formatDateDe(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) throw new RangeError(`Date must be YYYY-MM-DD, got "${isoDate}"`);
  return `${match[3]}.${match[2]}.${match[1]}`;
}
