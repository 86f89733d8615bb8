"use client";

import { useOnline } from "@/lib/client/online";

/**
 * The skeleton shown while a list or card loads. Without a network connection
 * React Query holds the request until the browser is back online, so instead
 * of pulsing forever the block says why nothing arrives.
 */
export function LoadingBlock({ label = "Wird geladen …" }: { label?: string }) {
  const online = useOnline();
  if (!online) {
    return (
      <div role="status" className="rounded-xl border border-amber-300 bg-amber-50 p-5 text-sm text-amber-900" data-testid="offline-notice">
        <p className="font-semibold">Keine Internetverbindung</p>
        <p>Die Daten werden geladen, sobald die Verbindung wieder besteht.</p>
      </div>
    );
  }
  return (
    <div role="status" className="animate-pulse space-y-3 rounded-xl border border-slate-200 bg-white p-5">
      <span className="sr-only">{label}</span>
      <div className="h-4 w-1/3 rounded bg-slate-200" />
      <div className="h-4 w-2/3 rounded bg-slate-200" />
      <div className="h-4 w-1/2 rounded bg-slate-200" />
    </div>
  );
}
