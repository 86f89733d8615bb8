import type { Metadata } from "next";
import Link from "next/link";
import { DraftForm } from "@/components/invoices/draft-form";
import { StaffOnly } from "@/components/invoices/staff-guard";
import { Alert } from "@/components/ui/card";

export const metadata: Metadata = { title: "Neuer Rechnungsentwurf" };

export default function Page() {
  return (
    <StaffOnly>
      {(canWrite) => (
        <div className="space-y-4">
          <Link href="/verwaltung/rechnungen" className="text-sm text-brand-700 hover:underline">
            ← Alle Rechnungen
          </Link>
          <h1 className="text-2xl font-bold">Neuer Rechnungsentwurf</h1>
          {canWrite ? <DraftForm /> : <Alert kind="error">Zum Anlegen von Rechnungen fehlt Ihnen die Berechtigung.</Alert>}
        </div>
      )}
    </StaffOnly>
  );
}
