/**
 * Circuit breaker for the Hetzner API: after `threshold` failures in a row
 * that point to an outage (no answer, timeout, 5xx) the client answers every
 * call at once with `HetznerCircuitOpenError` for `cooldownMs`, instead of
 * letting each user wait for the full timeout. After the cooldown one trial
 * call goes through (half-open): success closes the breaker, failure opens it
 * again. 4xx answers (including 429, which has its own back-off) and
 * successful calls reset the count — Hetzner answered, it is not down.
 *
 * State is per process on purpose (lib/hetzner/README.md): it only makes this
 * process give up sooner. It never changes data and never blocks another
 * process, so two app processes behind a load balancer stay correct; each
 * learns about an outage from its own calls.
 */
import { HetznerCircuitOpenError, HetznerError } from "./errors";

export type CircuitBreakerOptions = {
  /** Consecutive outage-like failures that open the breaker. */
  threshold: number;
  /** How long an open breaker refuses calls. */
  cooldownMs: number;
  now?: () => number;
};

export type CircuitState = "closed" | "open" | "half-open";

export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private trialRunning = false;
  private readonly now: () => number;

  constructor(readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.openUntil === 0) return "closed";
    return this.now() < this.openUntil ? "open" : "half-open";
  }

  /** Throws `HetznerCircuitOpenError` when calls are refused right now; otherwise lets the call through. */
  before(): void {
    const state = this.state;
    if (state === "closed") return;
    if (state === "half-open" && !this.trialRunning) {
      this.trialRunning = true;
      return;
    }
    const seconds = Math.max(1, Math.ceil((Math.max(this.openUntil, this.now() + 1000) - this.now()) / 1000));
    throw new HetznerCircuitOpenError({
      message: `Hetzner circuit open after ${this.failures} consecutive failures; retry in ${seconds} s`,
      retryAfterSeconds: seconds,
    });
  }

  success(): void {
    this.failures = 0;
    this.openUntil = 0;
    this.trialRunning = false;
  }

  failure(error: unknown): void {
    const trial = this.trialRunning;
    this.trialRunning = false;
    if (!countsAsOutage(error)) {
      // Hetzner answered: not an outage.
      if (trial || this.openUntil === 0) this.success();
      return;
    }
    this.failures += 1;
    if (trial || this.failures >= this.options.threshold) this.openUntil = this.now() + this.options.cooldownMs;
  }
}

/** No answer, a timeout or a 5xx: the kinds of failure that repeat during an outage. */
export function countsAsOutage(error: unknown): boolean {
  if (!(error instanceof HetznerError)) return false;
  if (error.code === "aborted") return false;
  if (error.code === "timeout" || error.code === "network_error") return true;
  return error.status !== undefined && error.status >= 500;
}

const store = globalThis as unknown as { __hetznerBreakers?: Map<string, CircuitBreaker> };

/** The process's breaker for one API base URL (every client of the process shares it). */
export function sharedBreaker(baseUrl: string, options: CircuitBreakerOptions): CircuitBreaker {
  store.__hetznerBreakers ??= new Map();
  const key = `${baseUrl}|${options.threshold}|${options.cooldownMs}`;
  let breaker = store.__hetznerBreakers.get(key);
  if (!breaker) {
    breaker = new CircuitBreaker(options);
    store.__hetznerBreakers.set(key, breaker);
  }
  return breaker;
}

/** Tests: forget every shared breaker. */
export function resetSharedBreakers() {
  store.__hetznerBreakers?.clear();
}
