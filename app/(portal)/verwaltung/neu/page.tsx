import type { Metadata } from "next";
import Link from "next/link";
import { CreateInstanceForm } from "@/components/admin/create-instance-form";
import { requireStaff } from "@/lib/doors/pages/guards";
import { config } from "@/lib/config";

export const metadata: Metadata = { title: "Neue Instanz" };

export default async function NewInstancePage() {
  await requireStaff("tenant.manage");
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <Link href="/verwaltung" className="text-sm text-brand-700 underline">
        ← Alle Instanzen
      </Link>
      <CreateInstanceForm mspDomain={config().MSP_DOMAIN} />
    </div>
  );
}
