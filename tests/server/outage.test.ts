/**
 * Hetzner outages seen through the server commands: the shared breaker makes
 * later calls fail fast with a German message, and a 409 is only answered
 * when Hetzner confirmed that an action really runs.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { instances, rateLimits, serverActions } from "@/db/schema";
import { systemActor } from "@/lib/activity";
import { resetConfigForTests } from "@/lib/config";
import { ConflictError, UpstreamError } from "@/lib/errors";
import { resetSharedBreakers } from "@/lib/hetzner/breaker";
import { DEMO_SERVERS } from "@/lib/hetzner/simulator";
import { performServerAction } from "@/lib/servers/service";
import { useTestDatabase } from "../helpers/db";
import { useHetznerSimulator } from "../helpers/hetzner";

const database = useTestDatabase();
const clock = { t: Date.now() };
const simulator = useHetznerSimulator({ servers: [...DEMO_SERVERS], actionDurationMs: 60_000, now: () => clock.t }, 1500);
const actor = systemActor("serverSync");

beforeAll(() => {
  process.env.HETZNER_BREAKER_FAILURES = "2";
  resetConfigForTests();
});
afterAll(() => {
  delete process.env.HETZNER_BREAKER_FAILURES;
  resetConfigForTests();
});
beforeEach(async () => {
  simulator.sim().setFault(null);
  resetSharedBreakers();
  await database.db().delete(rateLimits);
});

async function instanceId(name: string) {
  const [row] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, name));
  return row.id;
}

describe("server commands during a Hetzner outage", () => {
  it("answers 409 while Hetzner confirms a running action, the upstream error when it cannot be asked", async () => {
    const acme = await instanceId("acme");
    await performServerAction(actor, { instanceId: acme, action: "reboot" });
    await expect(performServerAction(actor, { instanceId: acme, action: "reboot" })).rejects.toBeInstanceOf(ConflictError);

    await database.db().delete(rateLimits);
    simulator.sim().setFault("server_error");
    const error = await performServerAction(actor, { instanceId: acme, action: "reboot" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as Error).message).toMatch(/^Server-Aktion fehlgeschlagen: Der aktuelle Stand konnte nicht von Hetzner abgefragt werden/);
    simulator.sim().setFault(null);
    clock.t += 61_000;
    await database.db().update(serverActions).set({ polledAt: null });
  });

  it("fails fast with a German message once the breaker is open", async () => {
    const bergmann = await instanceId("bergmann");
    simulator.sim().setFault("timeout");
    for (let i = 0; i < 2; i++) {
      await database.db().delete(rateLimits);
      await expect(performServerAction(actor, { instanceId: bergmann, action: "refresh-status" })).rejects.toBeInstanceOf(UpstreamError);
    }
    await database.db().delete(rateLimits);
    const requests = simulator.sim().requestCount;
    const started = performance.now();
    const error = await performServerAction(actor, { instanceId: bergmann, action: "refresh-status" }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(700); // the client timeout is 1500 ms
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as Error).message).toMatch(/Hetzner ist gerade nicht erreichbar \(die letzten Anfragen sind fehlgeschlagen\)/);
    expect(simulator.sim().requestCount).toBe(requests);
  });
});
