/**
 * Issue 11, "Errors and failures": control characters are 422, ids out of
 * range 404, a database outage is 503 with Retry-After in each family's shape
 * (not a logout), and a failed SQL statement is logged without its values.
 */
import { Writable } from "node:stream";
import { drizzle } from "drizzle-orm/postgres-js";
import pino from "pino";
import postgres from "postgres";
import { afterEach, describe, expect, it } from "vitest";
import { GET as manageInvoices } from "@/app/api/manage/invoices/route";
import { GET as adminInvoices } from "@/app/api/manage/admin/invoices/route";
import { POST as manageLogin } from "@/app/api/manage/auth/login/route";
import { GET as manageMe } from "@/app/api/manage/auth/me/route";
import { POST as createKeyRoute } from "@/app/api/v1/auth/api-keys/route";
import { GET as v1Me } from "@/app/api/v1/auth/me/route";
import { GET as v1Invoices } from "@/app/api/v1/invoices/route";
import { GET as v1Host } from "@/app/api/v1/hosts/[id]/route";
import { GET as v1Invoice } from "@/app/api/v1/invoices/[id]/route";
import { getDbHandle, setDbHandleForTests } from "@/db/client";
import * as schema from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { hashToken } from "@/lib/crypto/tokens";
import { loggableError } from "@/lib/errors";
import { setLoggerForTests } from "@/lib/observability/logger";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { uniqueIp, v1Login } from "../v1/helpers";

useTestDatabase();

async function manageToken(email: string) {
  const res = await call(manageLogin, "POST", "/api/manage/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
  expect(res.status).toBe(200);
  return res.json.token as string;
}

function captureLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  setLoggerForTests(pino({ level: "info" }, stream));
  return lines;
}

afterEach(() => setLoggerForTests(undefined));

describe("control characters and ids", () => {
  it("answers a NUL byte in the search of both invoice lists and of v1 with 422, not 500", async () => {
    const customer = await manageToken("admin@firma.de");
    const staff = await manageToken("msp-admin@myit.center");
    const search = encodeURIComponent("abc\u0000def");
    const mine = await call(manageInvoices, "GET", `/api/manage/invoices?search=${search}`, { token: customer });
    const all = await call(adminInvoices, "GET", `/api/manage/admin/invoices?search=${search}`, { token: staff });
    expect([mine.status, all.status]).toEqual([422, 422]);
    expect(mine.json.errors.search[0]).toMatch(/Steuerzeichen/);
    const v1 = await call(v1Invoices, "GET", `/api/v1/invoices?search=${search}`, { token: (await v1Login("admin@firma.de")).access_token });
    expect(v1.status).toBeLessThan(500);
  });

  it("answers a NUL byte in a PAT name with 422 in the v1 shape", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    const res = await call(createKeyRoute, "POST", "/api/v1/auth/api-keys", { token: access_token, body: { name: "CI\u0000", scope: "read" } });
    expect(res.status).toBe(422);
    expect(res.json.detail.error).toBe("validation_error");
  });

  it("answers v1 invoice and host ids of 10 to 12 digits with 404", async () => {
    const { access_token } = await v1Login("it@bergmann-logistik.de");
    for (const id of ["9999999999", "99999999999", "999999999999", "-1", "1e3"]) {
      const invoice = await call(v1Invoice, "GET", `/api/v1/invoices/${id}`, { token: access_token, params: { id } });
      const host = await call(v1Host, "GET", `/api/v1/hosts/${id}`, { token: access_token, params: { id } });
      expect([id, invoice.status, host.status]).toEqual([id, 404, 404]);
    }
  });
});

describe("a database outage is not a logout", () => {
  it("answers 503 with Retry-After in each family's shape while the database is unreachable, and 200 again after", async () => {
    const { access_token } = await v1Login("it@bergmann-logistik.de");
    const session = await manageToken("it@bergmann-logistik.de");
    const working = await getDbHandle();
    // Nothing listens on port 9: every query fails with a connection error.
    const client = postgres("postgres://nobody@127.0.0.1:9/none", { max: 1, connect_timeout: 2, onnotice: () => {} });
    setDbHandleForTests({ db: drizzle(client, { schema }), close: () => client.end({ timeout: 1 }), kind: "postgres", pgClient: client });
    const logs = captureLogs();
    try {
      const v1 = await call(v1Me, "GET", "/api/v1/auth/me", { token: access_token });
      expect(v1.status).toBe(503);
      expect(v1.json.detail.error).toBe("service_unavailable");
      expect(Number(v1.headers.get("retry-after"))).toBeGreaterThan(0);
      const manage = await call(manageMe, "GET", "/api/manage/auth/me", { token: session });
      expect(manage.status).toBe(503);
      expect(manage.json.message).toMatch(/vorübergehend nicht erreichbar/);
      expect(Number(manage.headers.get("retry-after"))).toBeGreaterThan(0);
      // The session token's hash went into the failed statement; it is not in the log.
      const text = logs.join("");
      expect(text).toContain("infrastructure unavailable");
      expect(text).not.toContain(hashToken(session));
    } finally {
      setDbHandleForTests(working);
      await client.end({ timeout: 1 }).catch(() => {});
    }
    expect((await call(v1Me, "GET", "/api/v1/auth/me", { token: access_token })).status).toBe(200);
  });
});

describe("logs never hold secrets", () => {
  it("logs a failed statement with its name and error code, not its parameters", async () => {
    const handle = await getDbHandle();
    const secretHash = hashToken("mpat_geheim");
    const error = await handle.db
      .insert(schema.apiKeys)
      .values({ userId: "00000000-0000-0000-0000-000000000000", name: "x", scope: "read", prefix: "mpat_", tokenHash: secretHash })
      .catch((e: unknown) => e);
    expect(String((error as Error).message)).toContain(secretHash); // what the driver would have logged
    const logs = captureLogs();
    const { logger } = await import("@/lib/observability/logger");
    logger().error({ err: loggableError(error) }, "unexpected error");
    const text = logs.join("");
    expect(text).not.toContain(secretHash);
    expect(text).toContain("insert into api_keys");
    expect(text).toContain("23503");
  });
});
