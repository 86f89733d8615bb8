import { NextRequest } from "next/server";
import { expect } from "vitest";
import { POST as login } from "@/app/api/manage/auth/login/route";
import { DEMO_PASSWORD } from "@/db/seed";
import { call } from "../helpers/http";

let ipCounter = 0;

export async function loginAs(email: string) {
  const res = await call(login, "POST", "/api/manage/auth/login", {
    body: { email, password: DEMO_PASSWORD },
    ip: `198.51.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`,
  });
  expect(res.status).toBe(200);
  return res.json.token as string;
}

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Like call() but keeps the body as bytes (PDF downloads). */
export async function callBinary(handler: Handler, path: string, token: string, params: Record<string, string>) {
  const req = new NextRequest(new URL(path, "http://localhost:3000"), {
    method: "GET",
    headers: { authorization: `Bearer ${token}`, "x-forwarded-for": "203.0.113.20" },
  });
  const res = await handler(req, { params: Promise.resolve(params) });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** A complete draft body for the staff API. */
export function draftBody(instanceId: number, overrides: Record<string, unknown> = {}) {
  return {
    instance_id: instanceId,
    title: "Managed Services Test",
    service_period_start: "2026-10-01",
    service_period_end: "2026-10-31",
    recipient: { company_name: "Acme Corp", name: "Thomas Becker", address_lines: ["Industriestraße 12", "70565 Stuttgart"] },
    items: [
      { description: "Arbeitsplatzpauschale", quantity: 3, unit: "Stück", unit_price: "33,33", vat_rate: 19 },
      { description: "Fachbücher IT-Sicherheit", quantity: "3", unit: "Stück", unit_price: 33.33, vat_rate: 7 },
    ],
    ...overrides,
  };
}
