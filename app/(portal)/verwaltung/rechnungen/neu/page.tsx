import type { Metadata } from "next";
import Link from "next/link";
import { DraftForm } from "@/components/invoices/draft-form";
import { StaffOnly } from "@/components/invoices/staff-guard";

export const metadata: Metadata = { title: "Neuer Rechnungsentwurf" };

export default function Page() {
  return (
    <StaffOnly>
      <div className="space-y-4">
        <Link href="/verwaltung/rechnungen" className="text-sm text-brand-700 hover:underline">
          ← Alle Rechnungen
        </Link>
        <h1 className="text-2xl font-bold">Neuer Rechnungsentwurf</h1>
        <DraftForm />
      </div>
    </StaffOnly>
  );
}
