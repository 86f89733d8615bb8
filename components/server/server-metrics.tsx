"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { Card } from "@/components/ui/card";
import { LoadingBlock } from "@/components/ui/loading-block";
import { QueryError } from "@/components/ui/query-error";
import { ApiError, apiFetch } from "@/lib/client/api";
import { formatMetric } from "@/lib/client/format";
import type { MetricRange, ServerMetrics } from "@/lib/servers/metrics";

const RANGES: { value: MetricRange; label: string; long: string }[] = [
  { value: "1h", label: "1 Std.", long: "der letzten Stunde" },
  { value: "24h", label: "24 Std.", long: "der letzten 24 Stunden" },
  { value: "7d", label: "7 Tage", long: "der letzten 7 Tage" },
  { value: "30d", label: "30 Tage", long: "der letzten 30 Tage" },
];
/** Line colours (brand blue, amber); the summary table repeats them as swatches next to the names. */
const COLORS = ["#1d5fd1", "#d97706"];

type Chart = ServerMetrics["charts"][number];

const timeOfDay = new Intl.DateTimeFormat("de-DE", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Berlin" });
const dayMonth = new Intl.DateTimeFormat("de-DE", { day: "2-digit", month: "2-digit", timeZone: "Europe/Berlin" });

/**
 * One time-series chart (uPlot on a canvas, hidden from screen readers) and its
 * text alternative: a table with current value, average and peak of each series.
 * The canvas follows the width of its box, down to a 390 px phone.
 */
function MetricChart({ chart, data }: { chart: Chart; data: ServerMetrics }) {
  const box = useRef<HTMLDivElement>(null);
  const unit = chart.series[0].unit;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let plot: uPlot | null = null;
    let cancelled = false;
    const short = data.range === "1h" || data.range === "24h";
    void import("uplot").then(({ default: UPlot }) => {
      if (cancelled) return;
      const options: uPlot.Options = {
        width: Math.max(200, el.clientWidth),
        height: 170,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: true },
          y: { range: (_u, _min, max) => (unit === "percent" ? [0, 100] : [0, max > 0 ? max * 1.15 : 1]) },
        },
        axes: [
          {
            stroke: "#475569",
            grid: { stroke: "#e2e8f0" },
            values: (_u, splits) => splits.map((s) => (short ? timeOfDay : dayMonth).format(new Date(s * 1000))),
          },
          {
            stroke: "#475569",
            grid: { stroke: "#e2e8f0" },
            size: 72,
            values: (_u, splits) => splits.map((s) => formatMetric(s, unit)),
          },
        ],
        series: [{}, ...chart.series.map((s, i) => ({ label: s.label, stroke: COLORS[i], width: 1.5, points: { show: false } }))],
      };
      const columns: uPlot.AlignedData = [data.timestamps, ...chart.series.map((s) => data.series[s.key])];
      plot = new UPlot(options, columns, el);
    });
    const observer = new ResizeObserver(() => plot?.setSize({ width: Math.max(200, el.clientWidth), height: 170 }));
    observer.observe(el);
    return () => {
      cancelled = true;
      observer.disconnect();
      plot?.destroy();
    };
  }, [chart, data, unit]);

  const period = RANGES.find((r) => r.value === data.range)?.long ?? "";
  return (
    <figure className="min-w-0" data-testid={`metric-chart-${chart.key}`}>
      <figcaption className="mb-2 text-sm font-semibold text-slate-800">{chart.title}</figcaption>
      <div ref={box} aria-hidden="true" className="h-[170px] w-full overflow-hidden" />
      <table className="mt-2 w-full text-xs">
        <caption className="sr-only">
          {chart.title} {period}: aktueller Wert, Durchschnitt und Spitze
        </caption>
        <thead>
          <tr className="text-left text-slate-500">
            <th scope="col" className="py-1 font-medium">
              Reihe
            </th>
            <th scope="col" className="py-1 text-right font-medium">
              Aktuell
            </th>
            <th scope="col" className="py-1 text-right font-medium">
              Ø
              <span className="sr-only">Durchschnitt</span>
            </th>
            <th scope="col" className="py-1 text-right font-medium">
              Spitze
            </th>
          </tr>
        </thead>
        <tbody>
          {chart.series.map((s, i) => {
            const summary = data.summary[s.key];
            return (
              <tr key={s.key} className="border-t border-slate-100">
                <th scope="row" className="py-1 text-left font-normal text-slate-700">
                  <span aria-hidden="true" className="mr-1.5 inline-block h-2 w-3 rounded-sm align-middle" style={{ backgroundColor: COLORS[i] }} />
                  {s.label}
                </th>
                <td className="py-1 text-right tabular-nums">{formatMetric(summary.current, s.unit)}</td>
                <td className="py-1 text-right tabular-nums">{formatMetric(summary.average, s.unit)}</td>
                <td className="py-1 text-right tabular-nums">{formatMetric(summary.peak, s.unit)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}

/**
 * The server's load (CPU, disk, network) for 1 hour to 30 days, from Hetzner's
 * metrics. The same component for the customer's server page and the staff
 * view of an instance (`endpoint`).
 */
export function ServerMetrics({ endpoint = "/api/manage/server/metrics" }: { endpoint?: string } = {}) {
  const [range, setRange] = useState<MetricRange>("24h");
  const query = useQuery({
    queryKey: ["server-metrics", endpoint, range],
    queryFn: () => apiFetch<ServerMetrics>(`${endpoint}?range=${range}`),
    staleTime: 60_000,
    refetchInterval: range === "1h" ? 60_000 : false,
  });
  // No server linked: the server card above already says so.
  if (query.error instanceof ApiError && query.error.status === 422) return null;

  const picker = (
    <div role="group" aria-label="Zeitraum der Messwerte" className="inline-flex rounded-lg border border-slate-200 bg-slate-50 p-0.5">
      {RANGES.map((r) => (
        <button
          key={r.value}
          type="button"
          aria-pressed={range === r.value}
          onClick={() => setRange(r.value)}
          className={`rounded-md px-2.5 py-1 text-xs font-medium ${range === r.value ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900"}`}
        >
          {r.label}
        </button>
      ))}
    </div>
  );

  return (
    <Card title="Auslastung" action={picker}>
      {query.isPending ? (
        <LoadingBlock label="Messwerte werden geladen …" />
      ) : query.isError ? (
        <QueryError title="Messwerte konnten nicht geladen werden" error={query.error} onRetry={() => query.refetch()} />
      ) : (
        <div className="space-y-1">
          <p className="text-xs text-slate-500">
            Messwerte von Hetzner{query.data.cores ? `; CPU in Prozent aller ${query.data.cores} vCPUs` : ""}. Ein Messpunkt alle{" "}
            {query.data.step_seconds >= 3600 ? `${Math.round(query.data.step_seconds / 3600)} Std.` : `${Math.round(query.data.step_seconds / 60)} Min.`}
          </p>
          <div className="grid gap-6 pt-2 md:grid-cols-2" data-testid="server-metrics">
            {query.data.charts.map((chart) => (
              <MetricChart key={chart.key} chart={chart} data={query.data} />
            ))}
          </div>
        </div>
      )}
    </Card>
  );
}
