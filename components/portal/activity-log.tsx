"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Alert, Badge, EmptyState, LoadingBlock } from "@/components/ui/card";
import { apiFetch } from "@/lib/client/api";
import { formatDateTime } from "@/lib/client/format";
import type { ActivityResponse } from "@/lib/client/types";
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

export function ActivityLog() {
  const [page, setPage] = useState(1);
  const query = useQuery({
    queryKey: ["activity", page],
    queryFn: () => apiFetch<ActivityResponse>(`/api/manage/activity-log?page=${page}&per_page=${PER_PAGE}`),
    placeholderData: keepPreviousData,
  });

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Aktivität</h1>
      {query.isPending && <LoadingBlock label="Aktivitäten werden geladen …" />}
      {query.isError && <Alert kind="error">{query.error.message}</Alert>}
      {query.data && query.data.logs.length === 0 && <EmptyState title="Noch keine Aktivitäten">Anmeldungen und Aktionen erscheinen hier.</EmptyState>}
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
        </>
      )}
    </div>
  );
}
