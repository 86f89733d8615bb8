/**
 * Pro rata to the day. A partial month is charged
 *
 *     amount × billed days / days of the month
 *
 * computed exactly in integers (BigInt) and rounded once, half up, to the cent,
 * per invoice line. Each partial line is its own invoice line, so the rounding
 * of one line never leaks into another. Examples: 49,00 € for 16 of 30 days =
 * 4900 × 16 / 30 = 2613,33… → 26,13 €; 10,00 € for 15 of 30 days → 5,00 €;
 * 0,01 € for 15 of 30 days = 0,5 ct → 0,01 € (half up).
 */
export function proRataCents(monthlyCents: number, days: number, daysOfMonth: number): number {
  if (!Number.isSafeInteger(monthlyCents) || monthlyCents < 0) throw new RangeError("monthlyCents must be a non-negative integer");
  if (!Number.isInteger(daysOfMonth) || daysOfMonth < 28 || daysOfMonth > 31) throw new RangeError("daysOfMonth must be 28..31");
  if (!Number.isInteger(days) || days < 0 || days > daysOfMonth) throw new RangeError("days must be 0..daysOfMonth");
  if (days === daysOfMonth) return monthlyCents;
  const numerator = BigInt(monthlyCents) * BigInt(days) * 2n + BigInt(daysOfMonth);
  return Number(numerator / (2n * BigInt(daysOfMonth)));
}
