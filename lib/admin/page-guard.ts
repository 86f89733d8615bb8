import { forbidden } from "next/navigation";
import { currentPrincipal } from "@/lib/auth/current";
import type { Permission } from "@/lib/permissions";
import { redirectToLogin } from "@/lib/auth/login-redirect";

/** For staff pages: the signed-in MSP staff member, a redirect to login, or the 403 "Kein Zugriff" page. */
export async function requireStaff(permission: Permission = "tenant.read") {
  const principal = await currentPrincipal();
  if (!principal) return redirectToLogin();
  if (!principal.staff || !principal.permissions.has(permission)) forbidden();
  return principal;
}
