/**
 * The Hetzner circuit breaker: after N outage-like failures the client
 * answers at once with a German message instead of waiting for the timeout;
 * one trial call after the cooldown decides; 4xx answers do not count.
 */
import { afterEach, describe, expect, it } from "vitest";
import { CircuitBreaker } from "@/lib/hetzner/breaker";
import { createHetznerClient } from "@/lib/hetzner/client";
import { HetznerCircuitOpenError, HetznerNotFoundError, HetznerServerError, HetznerTimeoutError } from "@/lib/hetzner/errors";
import { DEMO_SERVERS, startHetznerSimulator, type HetznerSimulator } from "@/lib/hetzner/simulator";
import { metrics } from "@/lib/observability/metrics";

const open: HetznerSimulator[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

/** timeoutMs: short only where the test makes the simulator time out; elsewhere a busy machine must not turn an answer into a timeout. */
async function setup(threshold = 3, cooldownMs = 60_000, timeoutMs = 10_000) {
  const sim = await startHetznerSimulator({ servers: [...DEMO_SERVERS] });
  open.push(sim);
  const clock = { t: 1_000_000 };
  const breaker = new CircuitBreaker({ threshold, cooldownMs, now: () => clock.t });
  const client = createHetznerClient({ baseUrl: sim.url, token: "t", timeoutMs, breaker });
  return { sim, clock, breaker, client };
}

async function errorCount(kind: string) {
  const values = (await metrics().hetznerErrors.get()).values;
  return values.filter((v) => v.labels.kind === kind && v.labels.operation === "get_server").reduce((sum, v) => sum + v.value, 0);
}

describe("Hetzner circuit breaker", () => {
  it("opens after N timeouts and then fails fast with a German message, without calling Hetzner", async () => {
    const { sim, client, breaker } = await setup(3, 60_000, 300);
    sim.setFault("timeout");
    for (let i = 0; i < 3; i++) await expect(client.getServer(1001)).rejects.toBeInstanceOf(HetznerTimeoutError);
    expect(breaker.state).toBe("open");

    const requests = sim.requestCount;
    const openedBefore = await errorCount("circuit_open");
    const error = await client.getServer(1001).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HetznerCircuitOpenError);
    expect((error as HetznerCircuitOpenError).userMessage).toMatch(/Hetzner ist gerade nicht erreichbar.*Bitte in \d+ Sekunden erneut versuchen/);
    expect(sim.requestCount).toBe(requests);
    expect(await errorCount("circuit_open")).toBe(openedBefore + 1);
  });

  it("lets one trial call through after the cooldown; success closes, failure reopens", async () => {
    const { sim, client, breaker, clock } = await setup(2, 30_000);
    sim.setFault("server_error");
    for (let i = 0; i < 2; i++) await expect(client.getServer(1001)).rejects.toBeInstanceOf(HetznerServerError);
    await expect(client.getServer(1001)).rejects.toBeInstanceOf(HetznerCircuitOpenError);

    clock.t += 31_000;
    expect(breaker.state).toBe("half-open");
    await expect(client.getServer(1001)).rejects.toBeInstanceOf(HetznerServerError); // the trial fails
    await expect(client.getServer(1001)).rejects.toBeInstanceOf(HetznerCircuitOpenError);

    clock.t += 31_000;
    sim.setFault(null);
    expect((await client.getServer(1001)).name).toBe("acme");
    expect(breaker.state).toBe("closed");
    expect((await client.getServer(1002)).name).toBe("bergmann-web");
  });

  it("does not count answers from Hetzner (4xx) as an outage", async () => {
    const { client, breaker } = await setup(2);
    for (let i = 0; i < 5; i++) await expect(client.getServer(424242)).rejects.toBeInstanceOf(HetznerNotFoundError);
    expect(breaker.state).toBe("closed");
  });

  it("counts every call in the hetzner_api metrics", async () => {
    const { client } = await setup();
    const before = (await metrics().hetznerDuration.get()).values.find((v) => v.labels.operation === "list_servers" && v.labels.outcome === "ok" && v.metricName?.endsWith("_count"))?.value ?? 0;
    await client.listServers();
    const after = (await metrics().hetznerDuration.get()).values.find((v) => v.labels.operation === "list_servers" && v.labels.outcome === "ok" && v.metricName?.endsWith("_count"))?.value ?? 0;
    expect(after).toBe(before + 1);
  });
});
