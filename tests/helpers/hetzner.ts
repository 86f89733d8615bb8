import { afterAll, beforeAll } from "vitest";
import { resetConfigForTests } from "@/lib/config";
import { startHetznerSimulator, type HetznerSimulator } from "@/lib/hetzner/simulator";

type SimulatorOptions = NonNullable<Parameters<typeof startHetznerSimulator>[0]>;
const KEYS = ["HCLOUD_ENDPOINT", "HCLOUD_TOKEN", "HCLOUD_TIMEOUT_MS"] as const;

/**
 * Starts the Hetzner simulator for a test file and points the portal's
 * configuration at it; the environment is restored afterwards.
 */
export function useHetznerSimulator(options: SimulatorOptions, timeoutMs = 2000) {
  let sim: HetznerSimulator;
  const saved: Partial<Record<(typeof KEYS)[number], string>> = {};
  beforeAll(async () => {
    sim = await startHetznerSimulator({ port: 0, ...options });
    for (const key of KEYS) saved[key] = process.env[key];
    process.env.HCLOUD_ENDPOINT = sim.url;
    process.env.HCLOUD_TOKEN = "test-token";
    process.env.HCLOUD_TIMEOUT_MS = String(timeoutMs);
    resetConfigForTests();
  });
  afterAll(async () => {
    await sim.close();
    for (const key of KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    resetConfigForTests();
  });
  return { sim: () => sim };
}
