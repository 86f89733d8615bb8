import { Alert } from "@/components/ui/card";
import { requireMe } from "@/lib/doors/pages/guards";

/** Server-side: renders only for MSP staff; tells the page whether the user may write (invoice.write). */
export async function StaffOnly({ children }: { children: (canWrite: boolean) => React.ReactNode }) {
  const me = await requireMe();
  if (!me.user.staff || !me.user.permissions.includes("invoice.read")) {
    return <Alert kind="error" title="Kein Zugriff">Die Rechnungsstellung ist nur für Mitarbeiter des MSP zugänglich.</Alert>;
  }
  return <>{children(me.user.permissions.includes("invoice.write"))}</>;
}
