import { config } from "@/lib/config";
import { UpstreamError } from "@/lib/errors";
import { createHetznerClient, type HetznerClient } from "./client";
import { createHetznerClientFromEnv } from "./env";
import { HetznerError } from "./errors";

/**
 * The Hetzner client from the app configuration: the real API with
 * HCLOUD_TOKEN, otherwise the local simulator (development). A missing
 * configuration is a German 502-style error, never a crash.
 */
export async function hetznerClient(opts: { maxTimeoutMs?: number } = {}): Promise<HetznerClient> {
  const c = config();
  const timeoutMs = Math.min(c.HCLOUD_TIMEOUT_MS, opts.maxTimeoutMs ?? Number.POSITIVE_INFINITY);
  try {
    const token = c.HCLOUD_TOKEN?.trim();
    if (token) return createHetznerClient({ token, baseUrl: c.HCLOUD_ENDPOINT, timeoutMs });
    return await createHetznerClientFromEnv(process.env, { timeoutMs });
  } catch (error) {
    throw new UpstreamError("Server-Aktion fehlgeschlagen: Die Hetzner-Anbindung ist nicht eingerichtet. Bitte den Support kontaktieren.", {
      cause_code: error instanceof HetznerError ? error.code : "config_error",
    });
  }
}
