import type { Metadata } from "next";
import Link from "next/link";
import { SessionsCard } from "@/components/account/sessions-card";
import { Card } from "@/components/ui/card";
import { requireMe } from "@/lib/doors/pages/guards";

export const metadata: Metadata = { title: "Aktive Sitzungen" };

export default async function SessionsPage() {
  await requireMe();
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link href="/konto" className="text-brand-700 underline-offset-2 hover:underline">
          ← Zurück zum Konto
        </Link>
      </p>
      <h1 className="text-2xl font-bold">Aktive Sitzungen</h1>
      <Card title="Angemeldete Geräte und Tokens">
        <SessionsCard />
      </Card>
    </div>
  );
}
