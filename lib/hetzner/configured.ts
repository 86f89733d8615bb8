import { config } from "@/lib/config";
import { UpstreamError } from "@/lib/errors";
import { sharedBreaker } from "./breaker";
import { createHetznerClient, type HetznerClient } from "./client";
import { createHetznerClientFromEnv, SIMULATOR_DEV_TOKEN } from "./env";
import { HetznerError } from "./errors";

/**
 * The Hetzner client from the app configuration: the real API with
 * HCLOUD_TOKEN, otherwise the local simulator (development). A missing
 * configuration is a German 502-style error, never a crash. Every client of
 * the process shares one circuit breaker per base URL
 * (HETZNER_BREAKER_FAILURES, HETZNER_BREAKER_OPEN_SECONDS).
 */
export async function hetznerClient(opts: { maxTimeoutMs?: number } = {}): Promise<HetznerClient> {
  const c = config();
  const timeoutMs = Math.min(c.HCLOUD_TIMEOUT_MS, opts.maxTimeoutMs ?? Number.POSITIVE_INFINITY);
  try {
    const breakerOptions = { threshold: c.HETZNER_BREAKER_FAILURES, cooldownMs: c.HETZNER_BREAKER_OPEN_SECONDS * 1000 };
    const token = c.HCLOUD_TOKEN?.trim();
    const retry = { baseMs: c.HETZNER_RETRY_BASE_MS };
    if (token) return createHetznerClient({ token, baseUrl: c.HCLOUD_ENDPOINT, timeoutMs, retry, breaker: sharedBreaker(c.HCLOUD_ENDPOINT, breakerOptions) });
    const dev = await createHetznerClientFromEnv(process.env, { timeoutMs });
    return createHetznerClient({ token: SIMULATOR_DEV_TOKEN, baseUrl: dev.baseUrl, timeoutMs, retry, breaker: sharedBreaker(dev.baseUrl, breakerOptions) });
  } catch (error) {
    throw new UpstreamError("Server-Aktion fehlgeschlagen: Die Hetzner-Anbindung ist nicht eingerichtet. Bitte den Support kontaktieren.", {
      cause_code: error instanceof HetznerError ? error.code : "config_error",
    });
  }
}
