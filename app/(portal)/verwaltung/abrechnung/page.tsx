import type { Metadata } from "next";
import { BillingPanel } from "@/components/billing/billing-panel";
import { requireStaff } from "@/lib/admin/page-guard";

export const metadata: Metadata = { title: "Abrechnung" };

export default async function BillingPage() {
  const principal = await requireStaff("invoice.read");
  return <BillingPanel canWrite={principal.permissions.has("invoice.write")} />;
}
