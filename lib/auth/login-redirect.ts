/**
 * The page guards' way to the login page: back to the page that was asked
 * for (`next`, same origin only), and "Ihre Sitzung ist abgelaufen" only when
 * the browser still carried a session cookie — a first visit is asked to sign
 * in. The path comes from the `x-pathname` header the proxy sets (`proxy.ts`).
 * A session ended on another device (or by a password change) says that
 * instead of "abgelaufen" (`endedSessionNotice`, read by the login page).
 */
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { sessionCookieName, sessionTokenFromCookie } from "./browser-session";
import { endedSessionReason } from "./sessions";
import { safeReturnPath } from "./return-to";

export async function loginRedirectUrl(): Promise<string> {
  const [store, head] = await Promise.all([cookies(), headers()]);
  const next = safeReturnPath(head.get("x-pathname"));
  const params = new URLSearchParams();
  if (store.get(sessionCookieName())?.value) params.set("abgelaufen", "1");
  if (next !== "/") params.set("next", next);
  const query = params.toString();
  return query ? `/login?${query}` : "/login";
}

export async function redirectToLogin(): Promise<never> {
  redirect(await loginRedirectUrl());
}

export type SessionEndNotice = "ended_elsewhere" | "password_change";

/** Why the browser's last session ended, when that is worth telling: on another device, or by a password change. */
export async function endedSessionNotice(): Promise<SessionEndNotice | null> {
  const store = await cookies();
  const token = await sessionTokenFromCookie(store.get(sessionCookieName())?.value);
  if (!token) return null;
  const reason = await endedSessionReason(token);
  return reason === "ended_elsewhere" || reason === "password_change" ? reason : null;
}
