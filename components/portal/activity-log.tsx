"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Alert, Badge, EmptyState, LoadingBlock } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { ACTIVITY_KINDS } from "@/lib/activity/actions";
import { apiFetch } from "@/lib/client/api";
import { formatDateTime } from "@/lib/client/format";
import type { ActivityResponse } from "@/lib/client/types";
import { useUrlState } from "@/lib/client/url-state";
import { Pagination } from "@/components/ui/pagination";

const LEVEL = { info: { tone: "blue", label: "Info" }, warning: { tone: "amber", label: "Warnung" }, error: { tone: "red", label: "Fehler" } } as const;
const PER_PAGE = 20;

/**
 * Who did it, as the customer reads it: background work is "System", MSP staff
 * acting on the instance are marked "MSP", so neither looks like one of the
 * customer's own users. Internal action codes are never shown.
 */
function actorText(log: { actor: string | null; actor_type: string }): string | null {
  if (log.actor_type === "system") return log.actor?.startsWith("System") ? log.actor : `System${log.actor ? ` (${log.actor})` : ""}`;
  if (log.actor_type === "staff") return `MSP${log.actor ? ` (${log.actor})` : ""}`;
  return log.actor;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const inputClass = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm sm:text-sm";

export function ActivityLog() {
  // Filters live in the URL (German keys like the other lists), so Back and reload keep them.
  const [url, setUrl] = useUrlState(["art", "von", "bis", "seite"] as const);
  const kind = Object.hasOwn(ACTIVITY_KINDS, url.art) ? url.art : "";
  const from = ISO_DATE.test(url.von) ? url.von : "";
  const to = ISO_DATE.test(url.bis) ? url.bis : "";
  const page = Math.max(1, Number.parseInt(url.seite, 10) || 1);
  const setPage = (next: number) => setUrl({ seite: next > 1 ? String(next) : "" });
  const params = new URLSearchParams({ page: String(page), per_page: String(PER_PAGE) });
  if (kind) params.set("kind", kind);
  if (from) params.set("from", from);
  if (to) params.set("to", to);
  const filtered = Boolean(kind || from || to);
  const kindId = useId();
  const fromId = useId();
  const toId = useId();
  const query = useQuery({
    queryKey: ["activity", page, kind, from, to],
    queryFn: () => apiFetch<ActivityResponse>(`/api/manage/activity-log?${params}`),
    placeholderData: keepPreviousData,
  });
  const capped = query.data && "total_capped" in query.data.meta && query.data.meta.total_capped;

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Aktivität</h1>
      <form role="search" aria-label="Aktivitäten filtern" className="flex flex-col gap-3 sm:flex-row sm:items-end" onSubmit={(e) => e.preventDefault()}>
        <div className="space-y-1">
          <label htmlFor={kindId} className="block text-sm font-medium text-slate-700">
            Art
          </label>
          <select id={kindId} value={kind} onChange={(e) => setUrl({ art: e.target.value, seite: "" })} className={inputClass}>
            <option value="">Alle Arten</option>
            {Object.entries(ACTIVITY_KINDS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor={fromId} className="block text-sm font-medium text-slate-700">
            Von
          </label>
          <input id={fromId} type="date" value={from} max={to || undefined} onChange={(e) => setUrl({ von: e.target.value, seite: "" })} className={inputClass} />
        </div>
        <div className="space-y-1">
          <label htmlFor={toId} className="block text-sm font-medium text-slate-700">
            Bis
          </label>
          <input id={toId} type="date" value={to} min={from || undefined} onChange={(e) => setUrl({ bis: e.target.value, seite: "" })} className={inputClass} />
        </div>
        {filtered && (
          <Button type="button" variant="ghost" onClick={() => setUrl({ art: "", von: "", bis: "", seite: "" })}>
            Filter zurücksetzen
          </Button>
        )}
      </form>
      {query.isPending && <LoadingBlock label="Aktivitäten werden geladen …" />}
      {query.isError && <Alert kind="error">{query.error.message}</Alert>}
      {query.data && query.data.logs.length === 0 &&
        (filtered ? (
          <EmptyState title="Keine Aktivitäten gefunden">Passen Sie Art oder Zeitraum an.</EmptyState>
        ) : (
          <EmptyState title="Noch keine Aktivitäten">Anmeldungen und Aktionen erscheinen hier.</EmptyState>
        ))}
      {query.data && query.data.logs.length > 0 && (
        <>
          <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white" aria-busy={query.isFetching}>
            {query.data.logs.map((log) => {
              const level = LEVEL[log.level as keyof typeof LEVEL] ?? LEVEL.info;
              return (
                <li key={log.id} className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:items-center sm:justify-between" data-testid="activity-entry">
                  <div className="min-w-0">
                    <p className="text-sm font-medium text-slate-900">{log.description}</p>
                    <p className="text-xs text-slate-500">
                      {formatDateTime(log.created_at)} · {log.action_label}
                      {actorText(log) ? ` · ${actorText(log)}` : ""}
                    </p>
                  </div>
                  <span className="self-start sm:self-auto">
                    <Badge tone={level.tone}>{level.label}</Badge>
                  </span>
                </li>
              );
            })}
          </ul>
          <Pagination meta={query.data.meta} onPage={setPage} noun="Einträge" />
          {capped && <p className="text-center text-xs text-slate-500">Mehr als {query.data.meta.total.toLocaleString("de-DE")} Einträge – grenzen Sie den Zeitraum ein.</p>}
        </>
      )}
    </div>
  );
}
