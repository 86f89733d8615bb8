/**
 * Page guards: the pages' door. A page asks once for who is signed in; without a
 * session it redirects to the login page, without the permission it shows the
 * 403 "Kein Zugriff" page.
 */
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { currentPrincipal, currentSession } from "@/lib/auth/current";
import { redirectToLogin } from "@/lib/auth/login-redirect";
import { describeMe } from "@/lib/auth/me";
import { pendingSecondFactorSetup, SECOND_FACTOR_SETUP_PATH } from "@/lib/auth/second-factor-policy";
import type { Permission } from "@/lib/permissions";

export type Me = Awaited<ReturnType<typeof describeMe>>;

/**
 * For pages: the signed-in user's view, or a redirect to the login page; an
 * account that must still set up an authenticator app or a passkey is sent to
 * that set-up, the only page it reaches until then. Memoised per request (React `cache`).
 */
export const requireMe = cache(async (): Promise<Me> => {
  const session = await currentSession();
  if (!session) return redirectToLogin();
  if (await pendingSecondFactorSetup(session.principal, { instanceRule: session.instance?.instance.requireTwoFactor })) redirect(SECOND_FACTOR_SETUP_PATH);
  return describeMe(session.principal, session.instance);
});

/** For staff pages: the signed-in MSP staff member, a redirect to login (or to the second-factor set-up), or the 403 "Kein Zugriff" page. */
export async function requireStaff(permission: Permission = "tenant.read") {
  const principal = await currentPrincipal();
  if (!principal) return redirectToLogin();
  if (await pendingSecondFactorSetup(principal)) redirect(SECOND_FACTOR_SETUP_PATH);
  if (!principal.staff || !principal.permissions.has(permission)) forbidden();
  return principal;
}
