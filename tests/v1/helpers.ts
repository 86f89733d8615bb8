import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { POST as loginRoute } from "@/app/api/v1/auth/login/route";
import { POST as verifyRoute } from "@/app/api/v1/auth/2fa/verify/route";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { readOutbox } from "@/lib/mail";
import { call } from "../helpers/http";

let ipCounter = 0;
/** Each login from its own address, so the 10/min/IP limit only bites where a test wants it. */
export const freshIp = () => `192.0.2.${(++ipCounter % 250) + 1}`;
let ip6 = 0;
export const uniqueIp = () => `2001:db8::${(++ip6).toString(16)}`;

export async function v1Login(email: string, password = DEMO_PASSWORD) {
  const res = await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email, password }, ip: uniqueIp() });
  expect(res.status).toBe(200);
  expect(res.json.access_token).toBeTypeOf("string");
  return res.json as { access_token: string; refresh_token: string; token_type: string; expires_in: number };
}

export async function setTwoFactor(email: string, enabled: boolean) {
  const db = await getDb();
  await db.update(users).set({ twoFactorEnabled: enabled }).where(eq(users.email, email));
}

/** The 8-digit code of the newest 2FA mail to an address. */
export async function latestCode(email: string) {
  const [mail] = await readOutbox(email, 1);
  const match = /\b(\d{8})\b/.exec(mail?.text ?? "");
  if (!match) throw new Error(`Keine 2FA-Mail an ${email}`);
  return match[1];
}

export async function loginWith2fa(email: string) {
  const first = await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
  expect(first.status).toBe(200);
  expect(first.json.two_fa_required).toBe(true);
  const code = await latestCode(email);
  const res = await call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", {
    body: { challenge_token: first.json.challenge_token, code },
    ip: uniqueIp(),
  });
  expect(res.status).toBe(200);
  return res.json as { access_token: string; refresh_token: string };
}
