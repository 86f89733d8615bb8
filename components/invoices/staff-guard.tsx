import { Alert } from "@/components/ui/card";
import { requireMe } from "@/lib/auth/page-guard";

/** Server-side: renders children only for MSP staff. */
export async function StaffOnly({ children }: { children: React.ReactNode }) {
  const me = await requireMe();
  if (!me.user.staff) {
    return <Alert kind="error" title="Kein Zugriff">Die Rechnungsstellung ist nur für Mitarbeiter des MSP zugänglich.</Alert>;
  }
  return <>{children}</>;
}
