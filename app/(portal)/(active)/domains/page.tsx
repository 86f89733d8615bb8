import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/card";

export const metadata: Metadata = { title: "Domains" };

export default function Page() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Domains</h1>
      <EmptyState title="Dieser Bereich wird gerade eingerichtet.">Er steht mit einem der nächsten Updates zur Verfügung.</EmptyState>
    </div>
  );
}
