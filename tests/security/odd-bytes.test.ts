/**
 * Odd bytes never reach the database as a 500: malformed percent-encoding in
 * a path is a 400 in the API family's JSON error shape (answered by the
 * portal's request listener, before Next's router tries to decode the
 * segment), a lone UTF-16 surrogate in a JSON body is a 422, and an id in a
 * query that does not fit PostgreSQL's `integer` is a 422.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUT as dunningPause } from "@/app/api/manage/admin/instances/[id]/dunning-pause/route";
import { POST as reactivate } from "@/app/api/manage/admin/instances/[id]/reactivate/route";
import { POST as suspend } from "@/app/api/manage/admin/instances/[id]/suspend/route";
import { GET as staffInvoices } from "@/app/api/manage/admin/invoices/route";
import { GET as staffUsers } from "@/app/api/manage/admin/users/route";
import { GET as v1Invoices } from "@/app/api/v1/invoices/route";
import { malformedRequestPath } from "@/lib/http/raw-path";
import { loginAs, STAFF } from "../admin/helpers";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { startApiServer } from "../openapi/api-server";
import { v1Login } from "../v1/helpers";

useTestDatabase();

let api: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
  api = await startApiServer();
});
afterAll(async () => {
  await api.close();
});

describe("malformed percent-encoding in the path", () => {
  const bad = ["%C0%AE", "%FF%FE", "%E0%80%AF", "%ED%A0%80", "%", "%G1", "abc%2", "%C3"];

  it.each(bad)("/api/v1/hosts/%s → 400 in the v1 shape", async (segment) => {
    const res = await fetch(`${api.url}/api/v1/hosts/${segment}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = await res.json();
    expect(body.detail.error).toBe("bad_request");
    expect(body.detail.message).toMatch(/Adresse/);
  });

  it.each(bad)("/api/manage/admin/instances/%s → 400 in the manage shape", async (segment) => {
    const res = await fetch(`${api.url}/api/manage/admin/instances/${segment}/suspend`, { method: "POST" });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.message).toMatch(/Adresse/);
    expect(body.detail).toBeUndefined();
  });

  it("a page path answers 400 too, and well-formed escapes pass", async () => {
    expect(malformedRequestPath("/rechnungen/%C0%AE")).toBe(true);
    expect(malformedRequestPath("/rechnungen/%C3%BC?x=%FF")).toBe(false);
    expect(malformedRequestPath("/api/v1/hosts/%F0%9F%98%80")).toBe(false);
    const res = await fetch(`${api.url}/rechnungen/%FF%FE`);
    expect(res.status).toBe(400);
  });
});

describe("lone surrogates in JSON bodies", () => {
  let token = "";
  beforeAll(async () => {
    token = await loginAs(STAFF);
  });

  for (const [name, handler, body] of [
    ["suspend reason", suspend, { reason: "x\ud800y" }],
    ["reactivate reason", reactivate, { reason: "\udc00" }],
    ["dunning-pause note", dunningPause, { note: "Pause \ud800" }],
  ] as const) {
    it(`${name} → 422`, async () => {
      const res = await call(handler as never, name.startsWith("dunning") ? "PUT" : "POST", name.startsWith("dunning") ? "/api/manage/admin/instances/{id}/dunning-pause" : `/api/manage/admin/instances/{id}/${name.split(" ")[0]}`, {
        token,
        params: { id: "1" },
        rawBody: JSON.stringify(body),
        headers: { "content-type": "application/json" },
      });
      expect(res.status, res.text).toBe(422);
      expect(JSON.stringify(res.json.errors)).toContain("Zeichen");
    });
  }

  it("a well-formed surrogate pair (emoji) is fine", async () => {
    const res = await call(dunningPause as never, "PUT", "/api/manage/admin/instances/{id}/dunning-pause", { token, params: { id: "1" }, body: { note: "Rückruf 😀" } });
    expect(res.status, res.text).toBe(200);
  });
});

describe("ids in queries beyond PostgreSQL integer", () => {
  it.each(["2147483648", "99999999999", "9007199254740993"])("instance_id=%s → 422 on the staff lists", async (value) => {
    const token = await loginAs(STAFF);
    for (const handler of [staffUsers, staffInvoices]) {
      const res = await call(handler as never, "GET", `/x?instance_id=${value}`, { token });
      expect(res.status, res.text).toBe(422);
    }
  });

  it("tenant_id on API v1 lists → 422", async () => {
    const { access_token } = await v1Login(STAFF);
    const res = await call(v1Invoices as never, "GET", "/api/v1/invoices?tenant_id=2147483648", { token: access_token });
    expect([404, 422], res.text).toContain(res.status);
  });
});
