import { expect } from "vitest";
import { POST as login } from "@/app/api/manage/auth/login/route";
import { DEMO_PASSWORD } from "@/db/seed";
import { call } from "../helpers/http";

let ipCounter = 0;
export const freshIp = () => `198.51.100.${(++ipCounter % 250) + 1}`;

export async function loginAs(email: string, password = DEMO_PASSWORD) {
  const res = await call(login, "POST", "/api/manage/auth/login", { body: { email, password }, ip: freshIp() });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.token as string;
}

export const STAFF = "msp-admin@myit.center";
export const SUPPORT = "support@myit.center";
export const CUSTOMER = "admin@firma.de";
