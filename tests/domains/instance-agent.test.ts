import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createInstanceAgentClient,
  InstanceAgentError,
  signRequest,
  verifyRequestSignature,
} from "@/lib/instance-agent/client";
import { startInstanceAgentStandIn, type InstanceAgentStandIn } from "@/lib/instance-agent/stand-in";

const SECRET = "test-secret-123";
let standIn: InstanceAgentStandIn;

beforeAll(async () => {
  standIn = await startInstanceAgentStandIn({ secret: SECRET });
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => {
  standIn.setFault(null);
  standIn.applied.length = 0;
});

async function expectAgentError(p: Promise<unknown>): Promise<InstanceAgentError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(InstanceAgentError);
    return err as InstanceAgentError;
  }
  throw new Error("expected InstanceAgentError");
}

describe("instance agent client + stand-in", () => {
  it("applies domains", async () => {
    expect(standIn.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = createInstanceAgentClient({ baseUrl: standIn.url, secret: SECRET, timeoutMs: 5000 });
    await expect(
      client.applyDomains("acme", { portal_domain: "portal.acme.de", meshcentral_domain: null }),
    ).resolves.toEqual({ applied: true });
    expect(standIn.applied).toHaveLength(1);
    expect(standIn.applied[0]).toMatchObject({ instance: "acme", portal_domain: "portal.acme.de", meshcentral_domain: null });
  });

  it("rejects a wrong secret (bad signature)", async () => {
    const client = createInstanceAgentClient({ baseUrl: standIn.url, secret: "wrong", timeoutMs: 5000 });
    const err = await expectAgentError(client.applyDomains("acme", { portal_domain: "x.acme.de", meshcentral_domain: null }));
    expect(err.kind).toBe("rejected");
    expect(err.status).toBe(401);
    expect(err.userMessage).toMatch(/abgelehnt/);
    expect(standIn.applied).toHaveLength(0);
  });

  it("rejects a tampered body and missing headers", async () => {
    const path = "/instances/acme/domains";
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signedBody = JSON.stringify({ portal_domain: "a.acme.de", meshcentral_domain: null });
    const signature = signRequest({ secret: SECRET, timestamp, method: "PUT", path, body: signedBody });
    const tampered = await fetch(standIn.url + path, {
      method: "PUT",
      headers: { "X-Timestamp": timestamp, "X-Signature": signature, "Content-Type": "application/json" },
      body: JSON.stringify({ portal_domain: "evil.example.net", meshcentral_domain: null }),
    });
    expect(tampered.status).toBe(401);
    const unsigned = await fetch(standIn.url + path, { method: "PUT", body: signedBody });
    expect(unsigned.status).toBe(401);
    // the correctly signed request is accepted (proves the test request itself is well-formed)
    const good = await fetch(standIn.url + path, {
      method: "PUT",
      headers: { "X-Timestamp": timestamp, "X-Signature": signature, "Content-Type": "application/json" },
      body: signedBody,
    });
    expect(good.status).toBe(200);
    expect(standIn.applied.map((a) => a.portal_domain)).toEqual(["a.acme.de"]);
  });

  it("rejects timestamps older than 5 minutes", async () => {
    const client = createInstanceAgentClient({
      baseUrl: standIn.url,
      secret: SECRET,
      timeoutMs: 5000,
      now: () => Math.floor(Date.now() / 1000) - 6 * 60,
    });
    const err = await expectAgentError(client.applyDomains("acme", { portal_domain: null, meshcentral_domain: null }));
    expect(err).toMatchObject({ kind: "rejected", status: 401 });
    expect(
      verifyRequestSignature({ secret: SECRET, timestamp: "1000", signature: signRequest({ secret: SECRET, timestamp: 1000, method: "PUT", path: "/", body: "" }), method: "PUT", path: "/", body: "", nowSeconds: 1000 + 299 }),
    ).toEqual({ ok: true });
    expect(
      verifyRequestSignature({ secret: SECRET, timestamp: "1000", signature: signRequest({ secret: SECRET, timestamp: 1000, method: "PUT", path: "/", body: "" }), method: "PUT", path: "/", body: "", nowSeconds: 1000 + 301 }),
    ).toEqual({ ok: false, reason: "expired" });
  });

  it("fault 'fail' → rejected error", async () => {
    standIn.setFault("fail");
    const client = createInstanceAgentClient({ baseUrl: standIn.url, secret: SECRET, timeoutMs: 5000 });
    const err = await expectAgentError(client.applyDomains("acme", { portal_domain: "portal.acme.de", meshcentral_domain: null }));
    expect(err).toMatchObject({ kind: "rejected", status: 500 });
    expect(standIn.applied).toHaveLength(0);
  });

  it("fault 'timeout' → timeout error", async () => {
    standIn.setFault("timeout");
    const client = createInstanceAgentClient({ baseUrl: standIn.url, secret: SECRET, timeoutMs: 300 });
    const started = Date.now();
    const err = await expectAgentError(client.applyDomains("acme", { portal_domain: "portal.acme.de", meshcentral_domain: null }));
    expect(err.kind).toBe("timeout");
    expect(err.userMessage).toMatch(/nicht rechtzeitig/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("unreachable server → unreachable error", async () => {
    const tmp = await startInstanceAgentStandIn({ secret: SECRET });
    const url = tmp.url;
    await tmp.close();
    const client = createInstanceAgentClient({ baseUrl: url, secret: SECRET, timeoutMs: 5000 });
    const err = await expectAgentError(client.applyDomains("acme", { portal_domain: null, meshcentral_domain: null }));
    expect(err.kind).toBe("unreachable");
    expect(err.userMessage).toMatch(/nicht erreichbar/);
  });

  it("stand-in helper endpoints for e2e", async () => {
    const client = createInstanceAgentClient({ baseUrl: standIn.url, secret: SECRET, timeoutMs: 5000 });
    await client.applyDomains("beta gmbh", { portal_domain: "portal.beta.de", meshcentral_domain: "remote.beta.de" });
    const res = await fetch(`${standIn.url}/_stand-in/applied`);
    const body = (await res.json()) as { applied: Array<{ instance: string }> };
    expect(body.applied.map((a) => a.instance)).toEqual(["beta gmbh"]);
    const f = await fetch(`${standIn.url}/_stand-in/fault`, { method: "POST", body: JSON.stringify({ fault: "fail" }) });
    expect(f.status).toBe(200);
    await expect(client.applyDomains("beta gmbh", { portal_domain: null, meshcentral_domain: null })).rejects.toMatchObject({
      kind: "rejected",
    });
  });
});
