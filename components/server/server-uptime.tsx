"use client";

import { useQuery } from "@tanstack/react-query";
import { Card } from "@/components/ui/card";
import { LoadingBlock } from "@/components/ui/loading-block";
import { QueryError } from "@/components/ui/query-error";
import { apiFetch } from "@/lib/client/api";
import { formatDate, formatDateTime } from "@/lib/client/format";
import type { Uptime } from "@/lib/health/uptime";

type Target = Uptime["targets"][number];

const pct = new Intl.NumberFormat("de-DE", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percentLabel = (value: number | null) => (value === null ? "keine Prüfung" : `${pct.format(value)} %`);

/** Green for a full day, amber for short outages, red below 99 %, grey without probes (server off). */
function barColor(value: number | null) {
  if (value === null) return "bg-slate-200";
  if (value >= 100) return "bg-emerald-500";
  if (value >= 99) return "bg-amber-400";
  return "bg-red-500";
}

function UptimeTarget({ target }: { target: Target }) {
  const worst = target.bars.reduce<number | null>((min, b) => (b.uptime_percent === null ? min : min === null ? b.uptime_percent : Math.min(min, b.uptime_percent)), null);
  const summary = `${target.label}: ${percentLabel(target.uptime_percent)} erreichbar in den letzten ${target.bars.length} Tagen, ${target.incidents.length} ${
    target.incidents.length === 1 ? "Störung" : "Störungen"
  }${worst !== null && worst < 100 ? `, schlechtester Tag ${pct.format(worst)} %` : ""}.`;
  return (
    <div className="space-y-2" data-testid={`uptime-${target.target}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <h3 className="text-sm font-semibold text-slate-800">{target.label}</h3>
        <p className="text-sm font-medium tabular-nums text-slate-900">{percentLabel(target.uptime_percent)}</p>
      </div>
      <p className="truncate text-xs text-slate-500" title={target.url}>
        {target.url}
      </p>
      <div role="img" aria-label={summary} className="flex h-8 items-stretch gap-px">
        {target.bars.map((bar) => (
          <div
            key={bar.day}
            title={`${formatDate(bar.day)}: ${percentLabel(bar.uptime_percent)}`}
            className={`min-w-0 flex-1 rounded-[1px] ${barColor(bar.uptime_percent)}`}
          />
        ))}
      </div>
      <div className="flex justify-between text-xs text-slate-500" aria-hidden="true">
        <span>vor {target.bars.length} Tagen</span>
        <span>heute</span>
      </div>
      {target.incidents.length === 0 ? (
        <p className="text-sm text-slate-600">Keine Störungen in den letzten {target.bars.length} Tagen.</p>
      ) : (
        // Focusable, so the table can be scrolled by keyboard on a narrow screen.
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={`Störungen: ${target.label}`}>
          <table className="w-full text-left text-xs">
            <caption className="sr-only">Störungen: {target.label}</caption>
            <thead>
              <tr className="text-slate-500">
                <th scope="col" className="py-1 pr-3 font-medium">
                  Beginn
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Ende
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Dauer
                </th>
                <th scope="col" className="py-1 font-medium">
                  Ursache
                </th>
              </tr>
            </thead>
            <tbody>
              {target.incidents.map((incident) => (
                <tr key={incident.started_at} className="border-t border-slate-100 align-top">
                  <td className="py-1 pr-3 whitespace-nowrap">{formatDateTime(incident.started_at)}</td>
                  <td className="py-1 pr-3 whitespace-nowrap">{incident.ongoing ? <span className="font-medium text-red-700">dauert an</span> : formatDateTime(incident.ended_at)}</td>
                  <td className="py-1 pr-3 whitespace-nowrap">{incident.duration_label}</td>
                  <td className="py-1 text-slate-600">{incident.last_error ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/**
 * 90 days of uptime of the instance's portal and MeshCentral URL (one bar per
 * day) and the incidents with start, end and duration. Customers and staff
 * (`endpoint`) see the same.
 */
export function ServerUptime({ endpoint = "/api/manage/server/uptime" }: { endpoint?: string } = {}) {
  const query = useQuery({ queryKey: ["server-uptime", endpoint], queryFn: () => apiFetch<Uptime>(endpoint), staleTime: 60_000, refetchInterval: 60_000 });
  return (
    <Card title="Erreichbarkeit (90 Tage)">
      {query.isPending ? (
        <LoadingBlock label="Erreichbarkeit wird geladen …" />
      ) : query.isError ? (
        <QueryError title="Erreichbarkeit konnte nicht geladen werden" error={query.error} onRetry={() => query.refetch()} />
      ) : (
        <div className="space-y-6">
          <p className="text-xs text-slate-500">
            Minütliche Prüfung der Adressen. Grau: nicht geprüft (Server ausgeschaltet). Stand {formatDate(query.data.to)}.
          </p>
          {query.data.targets.map((t) => (
            <UptimeTarget key={t.target} target={t} />
          ))}
        </div>
      )}
    </Card>
  );
}
