"use client";

import { useState } from "react";
import { apiFetch } from "@/lib/client/api";

/** "Ansicht als Kunde: <Firma> – nur lesen", with a way back. */
export function ImpersonationBanner({ companyName, instanceId }: { companyName: string; instanceId: number }) {
  const [leaving, setLeaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div role="status" className="border-b border-amber-300 bg-amber-100 px-4 py-2 text-sm text-amber-950 sm:px-6" data-testid="impersonation-banner">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2">
        <p>
          <strong>Ansicht als Kunde: {companyName} – nur lesen.</strong> Änderungen sind in dieser Ansicht nicht möglich.
        </p>
        <button
          type="button"
          disabled={leaving}
          className="rounded-md border border-amber-500 bg-white px-3 py-1 font-medium hover:bg-amber-50"
          onClick={async () => {
            setLeaving(true);
            try {
              await apiFetch("/api/manage/admin/impersonation", { method: "DELETE" });
              window.location.href = `/verwaltung/instanzen/${instanceId}`;
            } catch (e) {
              setError(e instanceof Error ? e.message : "Fehler beim Beenden.");
              setLeaving(false);
            }
          }}
        >
          Kundenansicht beenden
        </button>
      </div>
      {error && <p className="mx-auto max-w-6xl text-red-800">{error}</p>}
    </div>
  );
}
