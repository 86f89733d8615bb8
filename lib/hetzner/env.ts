/**
 * Client from the environment.
 *
 * - `HCLOUD_TOKEN` set → client for the real API (`HCLOUD_ENDPOINT` or
 *   `https://api.hetzner.cloud/v1`).
 * - No token and `NODE_ENV === "development"` → the local simulator is started
 *   once per process (port `HETZNER_SIM_PORT`, default 4010, with the demo
 *   servers) and the client points at it. If the port is already taken (e.g.
 *   `simulator-cli.ts` runs), that simulator is used. `HETZNER_SIMULATOR=off`
 *   disables this.
 * - Otherwise → `HetznerConfigError`.
 *
 * The client is always the real one; only its base URL differs.
 */
import { createHetznerClient, type HetznerClient } from "@/lib/hetzner/client";
import { HetznerConfigError } from "@/lib/hetzner/errors";

export const SIMULATOR_DEV_TOKEN = "simulator-dev-token";
export const DEFAULT_SIMULATOR_PORT = 4010;

type Env = Record<string, string | undefined>;

const globalKey = Symbol.for("manage-portal.hetzner-simulator-url");
type GlobalWithSim = typeof globalThis & { [globalKey]?: Promise<string> };

/** Starts (once per process) or reuses the development simulator; resolves to its base URL. */
export function ensureDevSimulator(env: Env = process.env): Promise<string> {
  const g = globalThis as GlobalWithSim;
  const existing = g[globalKey];
  if (existing) return existing;
  const port = Number(env.HETZNER_SIM_PORT ?? DEFAULT_SIMULATOR_PORT);
  const started = (async () => {
    const { startHetznerSimulator, DEMO_SERVERS } = await import("@/lib/hetzner/simulator");
    try {
      const sim = await startHetznerSimulator({ port, servers: [...DEMO_SERVERS] });
      return sim.url;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
        return `http://127.0.0.1:${port}/v1`;
      }
      throw err;
    }
  })();
  g[globalKey] = started;
  started.catch(() => {
    delete g[globalKey];
  });
  return started;
}

export async function createHetznerClientFromEnv(
  env: Env = process.env,
  opts: { timeoutMs?: number } = {},
): Promise<HetznerClient> {
  const token = env.HCLOUD_TOKEN?.trim();
  if (token) {
    return createHetznerClient({ token, baseUrl: env.HCLOUD_ENDPOINT || undefined, timeoutMs: opts.timeoutMs });
  }
  if (env.NODE_ENV === "development" && env.HETZNER_SIMULATOR !== "off") {
    const url = await ensureDevSimulator(env);
    return createHetznerClient({ token: SIMULATOR_DEV_TOKEN, baseUrl: url, timeoutMs: opts.timeoutMs });
  }
  throw new HetznerConfigError({
    message: "HCLOUD_TOKEN is not set (the simulator is only started automatically in development)",
  });
}
