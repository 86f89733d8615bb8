import type { Metadata } from "next";
import { BillingPanel } from "@/components/billing/billing-panel";
import { DunningSettingsSection } from "@/components/dunning/dunning-settings";
import { requireStaff } from "@/lib/doors/pages/guards";

export const metadata: Metadata = { title: "Abrechnung" };

export default async function BillingPage() {
  const principal = await requireStaff("invoice.read");
  return (
    <div className="space-y-6">
      <BillingPanel canWrite={principal.permissions.has("invoice.write")} />
      <DunningSettingsSection canWrite={principal.permissions.has("invoice.write")} />
    </div>
  );
}
