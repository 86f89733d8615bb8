/**
 * Page guards: the pages' door. A page asks once for who is signed in; without a
 * session it redirects to the login page, without the permission it shows the
 * 403 "Kein Zugriff" page.
 */
import { forbidden } from "next/navigation";
import { cache } from "react";
import { currentPrincipal, currentSession } from "@/lib/auth/current";
import { redirectToLogin } from "@/lib/auth/login-redirect";
import { describeMe } from "@/lib/auth/me";
import type { Permission } from "@/lib/permissions";

export type Me = Awaited<ReturnType<typeof describeMe>>;

/** For pages: the signed-in user's view, or a redirect to the login page. Memoised per request (React `cache`). */
export const requireMe = cache(async (): Promise<Me> => {
  const session = await currentSession();
  if (!session) return redirectToLogin();
  return describeMe(session.principal, session.instance);
});

/** For staff pages: the signed-in MSP staff member, a redirect to login, or the 403 "Kein Zugriff" page. */
export async function requireStaff(permission: Permission = "tenant.read") {
  const principal = await currentPrincipal();
  if (!principal) return redirectToLogin();
  if (!principal.staff || !principal.permissions.has(permission)) forbidden();
  return principal;
}
