import { forbidden, redirect } from "next/navigation";
import { currentPrincipal } from "@/lib/auth/current";
import type { Permission } from "@/lib/permissions";

/** For staff pages: the signed-in MSP staff member, a redirect to login, or the 403 "Kein Zugriff" page. */
export async function requireStaff(permission: Permission = "tenant.read") {
  const principal = await currentPrincipal();
  if (!principal) redirect("/login?abgelaufen=1");
  if (!principal.staff || !principal.permissions.has(permission)) forbidden();
  return principal;
}
