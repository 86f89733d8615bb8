import type { Metadata } from "next";
import { StatusOverview } from "@/components/portal/status-overview";
import { requireMe } from "@/lib/doors/pages/guards";
import { EmptyState } from "@/components/ui/card";
import { StaffDashboard } from "@/components/admin/staff-dashboard";
import { config } from "@/lib/config";

export const metadata: Metadata = { title: "Übersicht" };

export default async function DashboardPage() {
  const me = await requireMe();
  if (!me.instance && me.user.staff) return <StaffDashboard name={me.user.name} />;
  if (!me.instance) {
    return (
      <EmptyState title="Sie sind als MSP-Mitarbeiter angemeldet.">
        Ihrem Konto ist keine Kundeninstanz zugeordnet.
      </EmptyState>
    );
  }
  return <StatusOverview supportEmail={config().MSP_SUPPORT_EMAIL} />;
}
