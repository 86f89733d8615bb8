import { todayIsoDate } from "@/lib/time";
/**
 * The billing clock. Everything in lib/billing that asks "what day is it" asks
 * `billingClock.now()`, so tests can run a simulated year by setting the time.
 * Production uses the system time; dates are taken in Europe/Berlin.
 */

export type Clock = { now(): Date };

const systemClock: Clock = { now: () => new Date() };
let current: Clock = systemClock;

export const billingClock: Clock = { now: () => current.now() };

/** Today's date (YYYY-MM-DD, Berlin) on the billing clock. */
export function billingToday(): string {
  return todayIsoDate(billingClock.now());
}

/** Tests: a clock fixed at `at` that they move with `set`; `reset` restores the system time. */
export function useFixedClock(at: Date | string) {
  let value = new Date(at);
  current = { now: () => new Date(value) };
  return {
    set(next: Date | string) {
      value = new Date(next);
    },
    reset() {
      current = systemClock;
    },
  };
}
