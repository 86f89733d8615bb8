import { afterEach, describe, expect, it } from "vitest";
import {
  createHetznerClient,
  type HetznerClient,
  type HetznerClientOptions,
} from "@/lib/hetzner/client";
import {
  HetznerActionFailedError,
  HetznerAuthError,
  HetznerConfigError,
  HetznerConflictError,
  HetznerDeprecatedEndpointError,
  HetznerProtectedError,
  HetznerResourceLockedError,
  HetznerError,
  HetznerLockedError,
  HetznerNetworkError,
  HetznerNotFoundError,
  HetznerRateLimitError,
  HetznerResponseValidationError,
  HetznerServerError,
  HetznerTimeoutError,
  HetznerUnavailableError,
} from "@/lib/hetzner/errors";
import { createHetznerClientFromEnv } from "@/lib/hetzner/env";
import {
  DEMO_SERVERS,
  startHetznerSimulator,
  type HetznerSimulator,
  type HetznerSimulatorOptions,
} from "@/lib/hetzner/simulator";
import type { HetznerAction } from "@/lib/hetzner/types";

const TOKEN = "test-token-123";
const open: HetznerSimulator[] = [];

afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function setup(
  simOpts: HetznerSimulatorOptions = {},
  clientOpts: HetznerClientOptions = {},
): Promise<{ sim: HetznerSimulator; client: HetznerClient }> {
  const sim = await startHetznerSimulator({
    servers: [...DEMO_SERVERS],
    actionDurationMs: 300,
    ...simOpts,
  });
  open.push(sim);
  const client = createHetznerClient({ baseUrl: sim.url, token: TOKEN, timeoutMs: 10_000, retry: { baseMs: 5, capMs: 20 }, ...clientOpts });
  return { sim, client };
}

/** Manual clock: the simulator only advances when the test says so. */
function manualClock(start = Date.UTC(2026, 0, 1)) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

async function expectError<T extends HetznerError>(
  promise: Promise<unknown>,
  cls: abstract new (...args: never[]) => T,
): Promise<T> {
  const err = await promise.then(
    () => {
      throw new Error("expected the call to fail, but it succeeded");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(cls);
  return err as T;
}

const WAIT = { intervalMs: 25, timeoutMs: 20_000 } as const;

describe("getServer", () => {
  it("returns the normalized server with status, IPv4, type and location", async () => {
    const { client } = await setup();
    const server = await client.getServer(1001);
    expect(server).toMatchObject({
      id: 1001,
      name: "acme",
      status: "running",
      locked: false,
      publicIpv4: "49.12.34.56",
      serverType: "cx22",
      cores: 2,
      location: "nbg1",
      city: "Nuremberg",
      country: "DE",
    });
    expect(server.created).toBeInstanceOf(Date);
    expect((await client.getServer("1002")).status).toBe("off");
  });

  it("maps an unknown server id to HetznerNotFoundError", async () => {
    const { client } = await setup();
    const err = await expectError(client.getServer(999_999), HetznerNotFoundError);
    expect(err.status).toBe(404);
    expect(err.code).toBe("not_found");
    expect(err.userMessage).toBe("Der Hetzner-Server wurde nicht gefunden.");
  });

  it("rejects invalid ids before sending a request", async () => {
    const { sim, client } = await setup();
    const before = sim.requestCount;
    await expectError(client.getServer("1001/actions/reboot"), HetznerConfigError);
    await expectError(client.getServer(-1), HetznerConfigError);
    expect(sim.requestCount).toBe(before);
  });
});

describe("power actions", () => {
  it("reboot: stopping → starting → running, locked meanwhile, progress 0 → 100", async () => {
    const clock = manualClock();
    const { sim, client } = await setup({ now: clock.now, actionDurationMs: 1000 });

    const action = await client.reboot(1001);
    expect(action).toMatchObject({ command: "reboot_server", status: "running", progress: 0, finished: null });
    expect(action.resources).toEqual([{ id: 1001, type: "server" }]);

    const during = await client.getServer(1001);
    expect(during.locked).toBe(true);
    expect(during.status).toBe("stopping");

    const seen: { progress: number; status: string; serverStatus: string | undefined }[] = [];
    const done = await client.waitForAction(action.id, {
      ...WAIT,
      onProgress: (a: HetznerAction) => {
        seen.push({ progress: a.progress, status: a.status, serverStatus: sim.getServerState(1001)?.status });
        clock.advance(150);
      },
    });

    expect(done.status).toBe("success");
    expect(done.progress).toBe(100);
    expect(done.finished).toBeInstanceOf(Date);
    const progresses = seen.map((s) => s.progress);
    for (let i = 1; i < progresses.length; i++) expect(progresses[i]!).toBeGreaterThan(progresses[i - 1]!);
    expect(progresses.filter((p) => p > 0 && p < 100).length).toBeGreaterThanOrEqual(3);
    expect(progresses.at(-1)).toBe(100);
    const running = seen.filter((s) => s.status === "running").map((s) => s.serverStatus);
    expect(running).toContain("stopping");
    expect(running).toContain("starting");
    expect(running.indexOf("starting")).toBeGreaterThan(running.lastIndexOf("stopping"));

    const after = await client.getServer(1001);
    expect(after).toMatchObject({ status: "running", locked: false });
  });

  it("powerOff: running → stopping → off (real clock)", async () => {
    const { client } = await setup();
    const action = await client.powerOff(1001);
    expect(action.command).toBe("stop_server");
    const done = await client.waitForAction(action.id, WAIT);
    expect(done.status).toBe("success");
    expect(await client.getServer(1001)).toMatchObject({ status: "off", locked: false });
  });

  it("powerOn: off → starting → running", async () => {
    const clock = manualClock();
    const { client } = await setup({ now: clock.now, actionDurationMs: 1000 });
    const action = await client.powerOn(1002);
    expect(action.command).toBe("start_server");
    expect((await client.getServer(1002)).status).toBe("starting");
    clock.advance(1000);
    expect((await client.waitForAction(action.id, WAIT)).status).toBe("success");
    expect(await client.getServer(1002)).toMatchObject({ status: "running", locked: false });
  });

  it("powerOn on a running server is idempotent and succeeds at once", async () => {
    const clock = manualClock();
    const { client } = await setup({ now: clock.now });
    const action = await client.powerOn(1001);
    expect(action).toMatchObject({ command: "start_server", status: "success", progress: 100 });
    expect(await client.getServer(1001)).toMatchObject({ status: "running", locked: false });
  });

  it("shutdown (ACPI): server ends up off; waitForServerStatus confirms it", async () => {
    const { client } = await setup();
    const action = await client.shutdown(1001);
    expect(action.command).toBe("shutdown_server");
    await client.waitForAction(action.id, WAIT);
    const server = await client.waitForServerStatus(1001, "off", WAIT);
    expect(server.status).toBe("off");
  });

  it("shutdown on a guest ignoring ACPI: action succeeds but the server stays running", async () => {
    const { client } = await setup();
    // 1003 is seeded with acpi: false
    const action = await client.shutdown(1003);
    const done = await client.waitForAction(action.id, WAIT);
    expect(done.status).toBe("success");
    await expectError(
      client.waitForServerStatus(1003, "off", { intervalMs: 25, timeoutMs: 400 }),
      HetznerTimeoutError,
    );
    expect((await client.getServer(1003)).status).toBe("running");
  });

  it("a second action while one runs gets HetznerLockedError (423 locked)", async () => {
    const clock = manualClock();
    const { sim, client } = await setup({ now: clock.now });
    const first = await client.reboot(1001);
    const err = await expectError(client.powerOff(1001), HetznerLockedError);
    expect(err.status).toBe(423);
    expect(err.code).toBe("locked");
    expect(err.retryable).toBe(true);
    expect(err.userMessage).toBe("Der Hetzner-Server ist gerade gesperrt, weil noch eine Aktion läuft.");
    expect(sim.getServerState(1001)?.runningActionId).toBe(first.id);
    // other servers are not affected
    await expect(client.powerOn(1002)).resolves.toMatchObject({ status: "running" });
    clock.advance(300);
    await expect(client.powerOff(1001)).resolves.toMatchObject({ command: "stop_server" });
  });

  it("an action ending with status error throws HetznerActionFailedError", async () => {
    const clock = manualClock();
    const { sim, client } = await setup({ now: clock.now });
    sim.failNextAction({ code: "action_failed", message: "Power off failed" });
    const action = await client.powerOff(1001);
    clock.advance(300);
    const err = await expectError(client.waitForAction(action.id, WAIT), HetznerActionFailedError);
    expect(err.actionId).toBe(action.id);
    expect(err.actionError).toEqual({ code: "action_failed", message: "Power off failed" });
    expect((await client.getAction(action.id)).status).toBe("error");
    expect(await client.getServer(1001)).toMatchObject({ status: "running", locked: false });
  });

  it("waitForAction gives up with HetznerTimeoutError when the action does not finish", async () => {
    const clock = manualClock(); // never advanced: the action stays running
    const { client } = await setup({ now: clock.now });
    const action = await client.reboot(1001);
    const err = await expectError(
      client.waitForAction(action.id, { intervalMs: 25, timeoutMs: 300 }),
      HetznerTimeoutError,
    );
    expect(err.code).toBe("timeout");
  });

  it("getAction of an unknown action is HetznerNotFoundError", async () => {
    const { client } = await setup();
    await expectError(client.getAction(123), HetznerNotFoundError);
  });
});

describe("faults", () => {
  it("server_error (500) → HetznerServerError", async () => {
    const { sim, client } = await setup();
    sim.setFault("server_error");
    const err = await expectError(client.getServer(1001), HetznerServerError);
    expect(err).not.toBeInstanceOf(HetznerUnavailableError);
    expect(err.status).toBe(500);
    expect(err.code).toBe("server_error");
    expect(err.retryable).toBe(true);
  });

  it("server_error with status 503 → HetznerUnavailableError (code unavailable)", async () => {
    const { sim, client } = await setup();
    sim.setFault({ type: "server_error", status: 503 });
    const err = await expectError(client.reboot(1001), HetznerUnavailableError);
    expect(err).toBeInstanceOf(HetznerServerError);
    expect(err.status).toBe(503);
    expect(err.code).toBe("unavailable");
    // nothing was started
    expect(sim.getServerState(1001)?.locked).toBe(false);
  });

  it("rate_limit → HetznerRateLimitError with rate-limit info and retryAfterSeconds", async () => {
    const { sim, client } = await setup();
    sim.setFault("rate_limit");
    const err = await expectError(client.getServer(1001), HetznerRateLimitError);
    expect(err.status).toBe(429);
    expect(err.code).toBe("rate_limit_exceeded");
    expect(err.rateLimit.limit).toBe(3600);
    expect(err.rateLimit.remaining).toBe(0);
    expect(err.rateLimit.resetAt).toBeInstanceOf(Date);
    expect(err.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(err.retryAfterSeconds).toBeLessThanOrEqual(2);

    sim.setFault({ type: "rate_limit", retryAfterSeconds: 7 });
    const err2 = await expectError(client.getServer(1001), HetznerRateLimitError);
    expect(err2.retryAfterSeconds).toBe(7);

    sim.setFault(null);
    await expect(client.getServer(1001)).resolves.toMatchObject({ id: 1001 });
  });

  it("the simulator's token bucket runs out like Hetzner's (RateLimit headers)", async () => {
    const clock = manualClock();
    const { client } = await setup({ now: clock.now, rateLimit: { limit: 2 } });
    await client.getServer(1001);
    expect(client.getRateLimit()?.remaining).toBe(1);
    await client.getServer(1001);
    expect(client.getRateLimit()).toMatchObject({ limit: 2, remaining: 0 });
    const err = await expectError(client.getServer(1001), HetznerRateLimitError);
    expect(err.retryAfterSeconds).toBe(1);
    clock.advance(1000); // one request refilled per second
    await expect(client.getServer(1001)).resolves.toMatchObject({ id: 1001 });
  });

  it("unknown_server → HetznerNotFoundError even for existing servers", async () => {
    const { sim, client } = await setup();
    sim.setFault("unknown_server");
    const err = await expectError(client.powerOn(1002), HetznerNotFoundError);
    expect(err.status).toBe(404);
    sim.setFault(null);
    expect((await client.getServer(1002)).status).toBe("off");
  });

  it("timeout (never answers) → HetznerTimeoutError after the client's timeoutMs", async () => {
    const { sim, client } = await setup({}, { timeoutMs: 200 });
    sim.setFault("timeout");
    const err = await expectError(client.getServer(1001), HetznerTimeoutError);
    expect(err.code).toBe("timeout");
    expect(err.status).toBeUndefined();
    // per-call override of the timeout
    await expectError(client.reboot(1001, { timeoutMs: 100 }), HetznerTimeoutError);
  });

  it("timeout with delayMs answers late but still answers", async () => {
    const { sim, client } = await setup({}, { timeoutMs: 10_000 });
    sim.setFault({ type: "timeout", delayMs: 100 });
    await expect(client.getServer(1001)).resolves.toMatchObject({ id: 1001 });
  });

  it("faults with `times` clear themselves; waitForAction retries transient errors", async () => {
    const clock = manualClock();
    const { sim, client } = await setup({ now: clock.now });
    const action = await client.powerOff(1001);
    clock.advance(300);
    sim.setFault({ type: "server_error", status: 503, times: 2 });
    const before = sim.requestCount;
    const done = await client.waitForAction(action.id, WAIT);
    expect(done.status).toBe("success");
    expect(sim.requestCount - before).toBe(3);
  });

  it("waitForAction with retryTransientErrors: false fails on the first 5xx", async () => {
    const clock = manualClock();
    const { sim, client } = await setup({ now: clock.now });
    const action = await client.powerOff(1001);
    sim.setFault({ type: "server_error", times: 1 });
    await expectError(
      client.waitForAction(action.id, { ...WAIT, retryTransientErrors: false }),
      HetznerServerError,
    );
  });

  it("a response of the wrong shape → HetznerResponseValidationError", async () => {
    const { sim, client } = await setup();
    sim.setFault("invalid_response");
    const err = await expectError(client.getServer(1001), HetznerResponseValidationError);
    expect(err.code).toBe("invalid_response");
    expect(err.message).toContain("server.id");
    await expectError(client.reboot(1001), HetznerResponseValidationError);
    sim.setFault({ type: "invalid_response", body: "not_json" });
    await expectError(client.getServer(1001), HetznerResponseValidationError);
  });

  it("reads a server status it does not know as unknown instead of failing", async () => {
    const fakeFetch: typeof fetch = async () =>
      new Response(
        JSON.stringify({
          server: {
            id: 1,
            name: "x",
            status: "exploding",
            created: "2024-01-01T00:00:00+00:00",
            locked: false,
            public_net: { ipv4: null, ipv6: null },
            server_type: { name: "cx22" },
            location: { name: "nbg1" },
          },
        }),
        { status: 200, headers: { "Content-Type": "application/json" } },
      );
    const client = createHetznerClient({ baseUrl: "http://127.0.0.1:1/v1", token: TOKEN, fetch: fakeFetch });
    expect(await client.getServer(1)).toMatchObject({ status: "unknown", rawStatus: "exploding", location: "nbg1" });
  });

  it("a fault can be limited to one method and path", async () => {
    const clock = manualClock();
    const { sim, client } = await setup({ now: clock.now });
    const action = await client.powerOn(1002);
    sim.setFault({ type: "invalid_response", match: { method: "GET", path: "/servers/1002" } });
    await expectError(client.getServer(1002), HetznerResponseValidationError);
    await expect(client.getServer(1001)).resolves.toMatchObject({ id: 1001 });
    await expect(client.getAction(action.id)).resolves.toMatchObject({ id: action.id });
  });
});

describe("error codes of today's API (simulator faults)", () => {
  it("conflict (409): retried with back-off; what stays a conflict is reported", async () => {
    const { sim, client } = await setup({ actionDurationMs: 60_000 });
    sim.setFault({ type: "conflict", times: 1 });
    let before = sim.requestCount;
    await expect(client.reboot(1001)).resolves.toMatchObject({ command: "reboot_server" });
    expect(sim.requestCount - before).toBe(2);

    sim.setFault("conflict");
    before = sim.requestCount;
    const err = await expectError(client.getServer(1002), HetznerConflictError);
    expect(err).toMatchObject({ status: 409, code: "conflict", retryable: true });
    expect(err.userMessage).toBe("Hetzner hat die Anfrage wegen einer gleichzeitigen Änderung am Server abgelehnt. Bitte in einigen Sekunden erneut versuchen.");
    expect(sim.requestCount - before).toBe(4);
  });

  it("token_readonly (403): writes refused with their own message, reads still work", async () => {
    const { sim, client } = await setup();
    sim.setFault("token_readonly");
    const err = await expectError(client.reboot(1001), HetznerAuthError);
    expect(err).toMatchObject({ status: 403, code: "token_readonly", retryable: false });
    expect(err.userMessage).toBe("Der Hetzner-Zugang des Portals darf nur lesen; Server-Aktionen sind damit nicht möglich. Bitte den Support kontaktieren.");
    await expect(client.getServer(1001)).resolves.toMatchObject({ id: 1001 });
  });

  it("maintenance (503): Hetzner's maintenance, not an unknown outage", async () => {
    const { sim, client } = await setup();
    sim.setFault("maintenance");
    const err = await expectError(client.getServer(1001), HetznerUnavailableError);
    expect(err).toMatchObject({ status: 503, code: "maintenance", retryable: true });
    expect(err.userMessage).toBe("Hetzner führt gerade Wartungsarbeiten durch. Bitte später erneut versuchen.");
  });

  it("resource_locked (423): locked by Hetzner, not a running action", async () => {
    const { sim, client } = await setup();
    sim.setFault("resource_locked");
    const err = await expectError(client.reboot(1001), HetznerResourceLockedError);
    expect(err).not.toBeInstanceOf(HetznerLockedError);
    expect(err).toMatchObject({ status: 423, code: "resource_locked", retryable: false });
    expect(err.userMessage).toMatch(/bei Hetzner gesperrt.*Support/);
  });

  it("protected (403): the server's protection, not the token", async () => {
    const { sim, client } = await setup();
    sim.setFault("protected");
    const err = await expectError(client.powerOff(1001), HetznerProtectedError);
    expect(err).toMatchObject({ status: 403, code: "protected", retryable: false });
    expect(err.userMessage).toMatch(/geschützt/);
  });

  it("deprecated_api_endpoint (410): the endpoint is gone", async () => {
    const { sim, client } = await setup();
    sim.setFault("deprecated_api_endpoint");
    const err = await expectError(client.getServer(1001), HetznerDeprecatedEndpointError);
    expect(err).toMatchObject({ status: 410, code: "deprecated_api_endpoint", retryable: false });
    expect(err.userMessage).toMatch(/abgeschaltet/);
  });

  it("502 and 504 from the gateway: reads are retried, writes are not (the action may have started)", async () => {
    const { sim, client } = await setup({ actionDurationMs: 60_000 });
    for (const fault of ["bad_gateway", "gateway_timeout"] as const) {
      sim.setFault({ type: fault, times: 2 });
      const before = sim.requestCount;
      await expect(client.getServer(1001)).resolves.toMatchObject({ id: 1001 });
      expect(sim.requestCount - before).toBe(3);
    }

    sim.setFault({ type: "bad_gateway", times: 1 });
    let before = sim.requestCount;
    const bad = await expectError(client.powerOn(1002), HetznerUnavailableError);
    expect(bad.status).toBe(502);
    expect(bad.userMessage).toMatch(/ob die Aktion ausgeführt wurde, ist unklar/);
    expect(sim.requestCount - before).toBe(1);

    sim.setFault({ type: "gateway_timeout", times: 1 });
    before = sim.requestCount;
    const timeout = await expectError(client.powerOn(1002), HetznerTimeoutError);
    expect(timeout.status).toBe(504);
    expect(timeout.userMessage).toMatch(/ob die Aktion ausgeführt wurde, ist unklar/);
    expect(sim.requestCount - before).toBe(1);

    sim.setFault("bad_gateway");
    const persistent = await expectError(client.getServer(1001), HetznerUnavailableError);
    expect(persistent.userMessage).toBe("Hetzner ist gerade nicht erreichbar (Gateway-Fehler). Bitte später erneut versuchen.");
  });
});

describe("authentication and configuration", () => {
  it("a request without Authorization header gets 401 unauthorized → HetznerAuthError", async () => {
    const { sim } = await setup();
    const withoutAuth: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.delete("authorization");
      return fetch(input, { ...init, headers });
    };
    const client = createHetznerClient({ baseUrl: sim.url, token: TOKEN, fetch: withoutAuth });
    const err = await expectError(client.getServer(1001), HetznerAuthError);
    expect(err.status).toBe(401);
    expect(err.code).toBe("unauthorized");

    const raw = await fetch(`${sim.url}/servers/1001`);
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual({
      error: { code: "unauthorized", message: expect.any(String), details: expect.anything() },
    });
  });

  it("a wrong token (simulator with fixed token) is HetznerAuthError; the token never appears in errors", async () => {
    const { sim } = await setup({ token: "the-right-one" });
    const client = createHetznerClient({ baseUrl: sim.url, token: "wrong-secret-token" });
    const err = await expectError(client.getServer(1001), HetznerAuthError);
    expect(err.message).not.toContain("wrong-secret-token");
    expect(err.userMessage).not.toContain("wrong-secret-token");
    const ok = createHetznerClient({ baseUrl: sim.url, token: "the-right-one" });
    await expect(ok.getServer(1001)).resolves.toMatchObject({ id: 1001 });
  });

  it("no token → HetznerConfigError", () => {
    const saved = process.env.HCLOUD_TOKEN;
    delete process.env.HCLOUD_TOKEN;
    try {
      expect(() => createHetznerClient({ baseUrl: "http://127.0.0.1:1/v1" })).toThrow(HetznerConfigError);
      expect(() => createHetznerClient({ token: "  " })).toThrow(HetznerConfigError);
    } finally {
      if (saved !== undefined) process.env.HCLOUD_TOKEN = saved;
    }
  });

  it("connection refused → HetznerNetworkError", async () => {
    const sim = await startHetznerSimulator();
    const url = sim.url;
    await sim.close();
    const client = createHetznerClient({ baseUrl: url, token: TOKEN, timeoutMs: 5000 });
    const err = await expectError(client.getServer(1001), HetznerNetworkError);
    expect(err.retryable).toBe(true);
  });

  it("createHetznerClientFromEnv: token → real API URL; no token outside development → config error", async () => {
    const real = await createHetznerClientFromEnv({ HCLOUD_TOKEN: "abc", NODE_ENV: "production" });
    expect(real.baseUrl).toBe("https://api.hetzner.cloud/v1");
    const custom = await createHetznerClientFromEnv({
      HCLOUD_TOKEN: "abc",
      HCLOUD_ENDPOINT: "http://127.0.0.1:4010/v1",
    });
    expect(custom.baseUrl).toBe("http://127.0.0.1:4010/v1");
    await expect(createHetznerClientFromEnv({ NODE_ENV: "production" })).rejects.toBeInstanceOf(
      HetznerConfigError,
    );
    await expect(
      createHetznerClientFromEnv({ NODE_ENV: "development", HETZNER_SIMULATOR: "off" }),
    ).rejects.toBeInstanceOf(HetznerConfigError);
  });

  it("development without token uses the simulator on HETZNER_SIM_PORT", async () => {
    // Start our own simulator on a random port; the dev helper finds the port
    // taken (EADDRINUSE) and reuses it instead of starting a second one.
    const sim = await startHetznerSimulator({ servers: [...DEMO_SERVERS] });
    open.push(sim);
    const client = await createHetznerClientFromEnv({
      NODE_ENV: "development",
      HETZNER_SIM_PORT: String(sim.port),
    });
    expect(client.baseUrl).toBe(sim.url);
    await expect(client.getServer(1001)).resolves.toMatchObject({ name: "acme", publicIpv4: "49.12.34.56" });
  });
});
