/**
 * Several processes, proven (issue 15): two production app processes and one
 * worker on one PostgreSQL, behind Caddy with deploy/Caddyfile, the app
 * trusting exactly that proxy (TRUSTED_PROXY_HOPS=1). Everything a client
 * does goes through Caddy; a request is sent to one process directly where
 * the case is about "made on one, seen on the other".
 *
 * Each case leaves from its own loopback address, so the per-IP limits of one
 * case do not spill into the next. The cases run in order on one stack; the
 * one that kills an app process comes last.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "@/db/seed";
import { REPO_ROOT, request, sleep, startProdStack, waitFor, type HttpResult, type ProdStack } from "./harness";

let stack: ProdStack;
let nextClient = 20;
/** A fresh client address: its own per-IP rate-limit budget. */
const newClient = () => `127.0.0.${nextClient++}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  stack = await startProdStack({ apps: 2, worker: true, caddy: true, env: { MAIL_LEASE_SECONDS: "3" } });
});

afterAll(async () => {
  await stack?.stop();
});

async function manageLogin(base: string, email: string, from: string) {
  const res = await request(base, "/api/manage/auth/login", { body: { email, password: DEMO_PASSWORD }, from });
  expect(res.status, res.text).toBe(200);
  return res.json.token as string;
}

/** http_requests_total of one process for a route and status (its own /api/metrics). */
async function requestCount(appUrl: string, route: string, status = 200) {
  const res = await request(appUrl, "/api/metrics", { headers: bearer(stack.env.METRICS_TOKEN) });
  expect(res.status).toBe(200);
  const line = res.text.split("\n").find((l) => l.startsWith("http_requests_total{") && l.includes(`route="${route}"`) && l.includes(`status="${status}"`) && l.includes('method="GET"'));
  return line ? Number(line.split(" ").pop()) : 0;
}

describe("zwei App-Prozesse und ein Worker hinter Caddy", () => {
  it("startet im echten Produktionsmodus und Caddy verteilt auf beide Prozesse", async () => {
    const [a, b] = stack.apps;
    // Production mode: the development outbox does not exist, metrics need the token.
    expect((await request(stack.url, "/api/dev/outbox")).status).toBe(404);
    expect((await request(stack.url, "/api/metrics")).status).toBe(401);

    const before = [await requestCount(a.url, "/api/ready"), await requestCount(b.url, "/api/ready")];
    for (let i = 0; i < 10; i++) expect((await request(stack.url, "/api/ready")).status).toBe(200);
    const after = [await requestCount(a.url, "/api/ready"), await requestCount(b.url, "/api/ready")];
    const served = [after[0] - before[0], after[1] - before[1]];
    expect(served[0] + served[1]).toBe(10);
    expect(served[0]).toBeGreaterThanOrEqual(3);
    expect(served[1]).toBeGreaterThanOrEqual(3);
  });

  it("eine Sitzung von Prozess A gilt auf B, und die Abmeldung über B beendet sie auf A", async () => {
    const [a, b] = stack.apps;
    const from = newClient();
    const token = await manageLogin(a.url, "admin@firma.de", from);

    for (const base of [b.url, stack.url, a.url]) {
      const me = await request(base, "/api/manage/auth/me", { headers: bearer(token), from });
      expect(me.status, `${base}: ${me.text}`).toBe(200);
    }
    const logout = await request(b.url, "/api/manage/auth/logout", { method: "POST", headers: bearer(token), from });
    expect(logout.status, logout.text).toBe(200);
    for (const base of [a.url, stack.url, b.url]) {
      expect((await request(base, "/api/manage/auth/me", { headers: bearer(token), from })).status).toBe(401);
    }
  });

  it("das Login-Limit (5 in 5 Minuten) zählt über beide Prozesse", async () => {
    const [a, b] = stack.apps;
    const from = newClient();
    const attempt = (base: string) => request(base, "/api/manage/auth/login", { body: { email: "it@bergmann-logistik.de", password: "falsch-falsch-1" }, from });
    // Five wrong passwords spread over A, B and Caddy: no process alone saw more than two.
    for (const base of [a.url, b.url, stack.url, a.url, b.url]) expect((await attempt(base)).status).toBe(401);
    for (const base of [a.url, b.url, stack.url]) {
      const sixth = await attempt(base);
      expect(sixth.status, base).toBe(429);
      expect(Number(sixth.headers["retry-after"])).toBeGreaterThan(0);
    }
    // The limit also holds for the right password (checked before the password).
    const right = await request(stack.url, "/api/manage/auth/login", { body: { email: "it@bergmann-logistik.de", password: DEMO_PASSWORD }, from });
    expect(right.status).toBe(429);
  });

  it("das Limit für Server-Aktionen (3 pro Minute) zählt über beide Prozesse", async () => {
    const [a, b] = stack.apps;
    const from = newClient();
    const token = await manageLogin(stack.url, "admin@firma.de", from);
    const reboot = (base: string) => request(base, "/api/manage/server/reboot", { method: "POST", body: {}, headers: bearer(token), from });
    const first: HttpResult[] = [];
    for (const base of [a.url, b.url, stack.url]) first.push(await reboot(base));
    // Accepted or refused because the server is busy, but counted; never limited yet.
    for (const res of first) expect([200, 409], res.text).toContain(res.status);
    expect(first[0].status).toBe(200);
    for (const base of [a.url, b.url, stack.url]) expect((await reboot(base)).status).toBe(429);
  });

  it("ein über A rotierter Refresh-Token: derselbe Client bekommt über B binnen 10 s dasselbe Paar, ein anderer Client löst die Wiederverwendungserkennung aus", async () => {
    const [a, b] = stack.apps;
    const from = newClient();
    const login = await request(a.url, "/api/v1/auth/login", { body: { email: "admin@firma.de", password: DEMO_PASSWORD }, from });
    expect(login.status, login.text).toBe(200);
    const first = login.json as { access_token: string; refresh_token: string };

    const rotated = await request(a.url, "/api/v1/auth/refresh", { method: "POST", headers: bearer(first.refresh_token), from });
    expect(rotated.status, rotated.text).toBe(200);
    const second = rotated.json as { access_token: string; refresh_token: string };
    expect((await request(b.url, "/api/v1/auth/me", { headers: bearer(second.access_token), from })).status).toBe(200);

    // The reuse interval (10 s, same client) holds across processes: B answers with A's new pair.
    const repeated = await request(b.url, "/api/v1/auth/refresh", { method: "POST", headers: bearer(first.refresh_token), from });
    expect(repeated.status, repeated.text).toBe(200);
    expect(repeated.json).toMatchObject({ access_token: second.access_token, refresh_token: second.refresh_token });

    const reused = await request(b.url, "/api/v1/auth/refresh", { method: "POST", headers: bearer(first.refresh_token), from: newClient() });
    expect(reused.status).toBe(401);
    // The whole family is revoked: the new pair is dead on every process.
    expect((await request(stack.url, "/api/v1/auth/refresh", { method: "POST", headers: bearer(second.refresh_token), from })).status).toBe(401);
    expect((await request(a.url, "/api/v1/auth/me", { headers: bearer(second.access_token), from })).status).toBe(401);
    const families = await stack.sql`
      select f.revoked_reason from token_families f join users u on u.id = f.user_id
      where u.email = 'admin@firma.de' and f.revoked_at is not null`;
    expect(families.map((f) => f.revoked_reason)).toContain("reuse");
  });

  it("hinter Caddy (TRUSTED_PROXY_HOPS=1) ändert ein vom Client gesendetes X-Forwarded-For die Identität nicht", async () => {
    const from = newClient();
    // Five different accounts (no account limit is reached), each with another forged address.
    for (let i = 1; i <= 5; i++) {
      const res = await request(stack.url, "/api/manage/auth/login", {
        body: { email: `niemand-${i}@example.com`, password: "falsch-falsch-1" },
        headers: { "x-forwarded-for": `203.0.113.${i}`, "x-real-ip": `203.0.113.${i}` },
        from,
      });
      expect(res.status).toBe(401);
    }
    const sixth = await request(stack.url, "/api/manage/auth/login", {
      body: { email: "niemand-6@example.com", password: "falsch-falsch-1" },
      headers: { "x-forwarded-for": "198.51.100.77" },
      from,
    });
    expect(sixth.status).toBe(429);
    // The counters are kept under the real client address, never under a forged one.
    const counters = await stack.sql`select key, count from rate_limits where key like 'manage-login:ip:%' and (key like '%203.0.113.%' or key like '%198.51.100.%' or key = ${`manage-login:ip:${from}`})`;
    expect(counters.map((r) => r.key)).toEqual([`manage-login:ip:${from}`]);
    expect(counters[0].count).toBeGreaterThanOrEqual(5);
    // Another client is not affected.
    const other = await request(stack.url, "/api/manage/auth/login", { body: { email: "niemand-7@example.com", password: "falsch-falsch-1" }, from: newClient() });
    expect(other.status).toBe(401);
  });

  it("wird der Worker beim Versand beendet, wird die Mail erneut versucht und genau einmal zugestellt", async () => {
    const to = "it@bergmann-logistik.de";
    const held = stack.resendGate.holdNextAnswer(to);
    const asked = await request(stack.url, "/api/manage/auth/forgot-password", { body: { email: to }, from: newClient() });
    expect(asked.status, asked.text).toBe(200);
    // The stand-in accepted the mail; its answer never reaches the worker, which dies now.
    await held;
    await stack.worker!.crash();
    const [row] = await stack.sql`select id, status, attempts, idempotency_key from mail_outbox where "to" = ${to} order by id desc limit 1`;
    expect(row).toMatchObject({ status: "sending", attempts: 1 });
    const copies = () => stack.resend.mails.filter((m) => m.idempotencyKey === row.idempotency_key);
    expect(copies()).toHaveLength(1);
    expect(copies()[0].to).toEqual([to]);

    const sendsBefore = stack.resendGate.sends;
    await stack.startWorker();
    const done = await waitFor(
      "erneuter Versand",
      async () => {
        const [current] = await stack.sql`select status, attempts from mail_outbox where id = ${row.id}`;
        return current.status === "sent" ? current : undefined;
      },
      100_000,
      500,
    );
    expect(done.attempts).toBe(2);
    expect(stack.resendGate.sends).toBeGreaterThan(sendsBefore);
    // Same idempotency key: the provider holds one copy.
    expect(copies()).toHaveLength(1);
  });

  it("die Überwachungsabfragen aus docs/betrieb.md laufen auf der Produktionsdatenbank", async () => {
    const doc = readFileSync(path.join(REPO_ROOT, "docs/betrieb.md"), "utf8");
    const block = /```sql\n([\s\S]*?)```/.exec(doc)?.[1] ?? "";
    const statements = block
      .replace(/^--.*$/gm, "")
      .split(";")
      .map((statement) => statement.trim())
      .filter(Boolean);
    expect(statements).toHaveLength(3);
    const results = [];
    for (const statement of statements) results.push(await stack.sql.unsafe(statement));
    // After the crash above nothing failed for good, and nothing waits.
    expect(Number(results[1][0].count)).toBe(0);
    expect(Number(results[2][0].count)).toBe(0);
  });

  it("kill -9 eines App-Prozesses unter Last verliert keinen bestätigten Schreibvorgang, der andere bedient weiter", async () => {
    const [a, b] = stack.apps;
    const from = newClient();
    // The writes: sign-ins. Each confirmed one stored a session row; successful sign-ins are not rate-limited.
    const body = { email: "admin@firma.de", password: DEMO_PASSWORD };

    const confirmed: string[] = [];
    /** Writes that were not confirmed: the status (0: connection dropped) and whether the app itself answered (it sets X-Request-Id on every answer). */
    const refused: { status: number; fromApp: boolean }[] = [];
    let killedAt = 0;
    let confirmedAfterKill = 0;
    let stopAt = Number.POSITIVE_INFINITY;
    const writer = async () => {
      while (Date.now() < stopAt) {
        const started = Date.now();
        try {
          const res = await request(stack.url, "/api/manage/auth/login", { body, from });
          if (res.status === 200) {
            confirmed.push(createHash("sha256").update(res.json.token as string, "utf8").digest("hex"));
            if (killedAt && started > killedAt) confirmedAfterKill++;
          } else refused.push({ status: res.status, fromApp: Boolean(res.headers["x-request-id"]) });
        } catch {
          refused.push({ status: 0, fromApp: false });
        }
      }
    };
    const writers = Array.from({ length: 10 }, () => writer());
    await waitFor("erste Schreibvorgänge", async () => confirmed.length >= 30, 30_000, 20);
    killedAt = Date.now();
    await a.crash();
    await sleep(5000);
    stopAt = Date.now();
    await Promise.all(writers);

    // Every write that was confirmed is stored.
    const stored = await stack.sql`select id from sessions where token_hash = any(${confirmed}::text[])`;
    expect(stored.length).toBe(confirmed.length);
    expect(confirmedAfterKill).toBeGreaterThanOrEqual(5);
    // Only writes around the kill can have failed, and never with an answer of the surviving app:
    // Caddy answers those on their way to the killed process with 502, or drops the connection (0)
    // if the answer had begun (a POST that may have arrived is not sent twice); Caddy 2.6 may also
    // answer a request in the moment it re-sorts its upstreams with 503 "no upstreams available".
    // None of these reached the database. At most the one or two per writer around the kill.
    expect(refused.filter((r) => r.fromApp)).toEqual([]);
    expect(refused.filter((r) => ![0, 502, 503].includes(r.status))).toEqual([]);
    expect(refused.length).toBeLessThanOrEqual(20);

    // From now on everything through Caddy works, served by B.
    expect(a.running).toBe(false);
    for (let i = 0; i < 10; i++) {
      const res = await request(stack.url, "/api/manage/auth/login", { body, from });
      expect(res.status, res.text).toBe(200);
    }
    expect((await request(b.url, "/api/ready")).status).toBe(200);
  });
});
