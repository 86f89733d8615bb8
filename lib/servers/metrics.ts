/**
 * What the server does: CPU, disk and network over the last hour, day, week
 * or month, from Hetzner's `GET /servers/{id}/metrics`, for the customer's
 * server page and the staff view of an instance.
 *
 * - Hetzner reports CPU in percent per vCPU (100 = one full vCPU, a CX22 can
 *   show 200). The portal divides by the server type's cores, so the chart is
 *   always 0–100 % of the whole server.
 * - Hetzner keeps 30 days and sends at most 500 samples per series (it widens
 *   `step` itself). The portal asks for `range / 500` seconds per sample
 *   (at least 60 s, Hetzner's own resolution) and aligns all series on one
 *   time axis; a sample missing in one series is `null` (a gap in the chart).
 * - Every series comes with current (last sample), average and peak: the
 *   text alternative of its chart.
 *
 * A read, not a command: nothing is logged. Hetzner's answer is not cached;
 * the UI asks again at most once a minute.
 */
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { servers } from "@/db/schema";
import { UnprocessableError, UpstreamError } from "@/lib/errors";
import { hetznerClient } from "@/lib/hetzner/configured";
import { HetznerError } from "@/lib/hetzner/errors";
import type { HetznerMetrics } from "@/lib/hetzner/types";
import { apiTimestamp } from "@/lib/time";
import { z } from "@/lib/validation";
import { SERVER_TYPE_RESOURCES } from "./labels";

export const METRIC_RANGES = { "1h": 3600, "24h": 86_400, "7d": 7 * 86_400, "30d": 30 * 86_400 } as const;
export type MetricRange = keyof typeof METRIC_RANGES;

export const metricsQuery = z
  .object({
    range: z
      .enum(Object.keys(METRIC_RANGES) as [MetricRange, ...MetricRange[]], { error: "Zeitraum muss 1h, 24h, 7d oder 30d sein." })
      .default("24h")
      .meta({ description: "Zeitraum: letzte Stunde, 24 Stunden, 7 Tage oder 30 Tage", example: "24h" }),
  })
  .strict();

/** The portal's series: its key, Hetzner's series name, German label and unit. */
export const METRIC_SERIES = [
  { key: "cpu", hetzner: "cpu", label: "CPU-Auslastung", unit: "percent" },
  { key: "disk_iops_read", hetzner: "disk.0.iops.read", label: "Lesen", unit: "iops" },
  { key: "disk_iops_write", hetzner: "disk.0.iops.write", label: "Schreiben", unit: "iops" },
  { key: "disk_bandwidth_read", hetzner: "disk.0.bandwidth.read", label: "Lesen", unit: "bytes_per_second" },
  { key: "disk_bandwidth_write", hetzner: "disk.0.bandwidth.write", label: "Schreiben", unit: "bytes_per_second" },
  { key: "network_pps_in", hetzner: "network.0.pps.in", label: "Eingehend", unit: "packets_per_second" },
  { key: "network_pps_out", hetzner: "network.0.pps.out", label: "Ausgehend", unit: "packets_per_second" },
  { key: "network_bandwidth_in", hetzner: "network.0.bandwidth.in", label: "Eingehend", unit: "bytes_per_second" },
  { key: "network_bandwidth_out", hetzner: "network.0.bandwidth.out", label: "Ausgehend", unit: "bytes_per_second" },
] as const;
export type MetricKey = (typeof METRIC_SERIES)[number]["key"];

/** The charts of the server page: which series each one draws. */
export const METRIC_CHARTS = [
  { key: "cpu", title: "CPU", series: ["cpu"] },
  { key: "disk_iops", title: "Datenträger: Zugriffe (IOPS)", series: ["disk_iops_read", "disk_iops_write"] },
  { key: "disk_bandwidth", title: "Datenträger: Durchsatz", series: ["disk_bandwidth_read", "disk_bandwidth_write"] },
  { key: "network_pps", title: "Netzwerk: Pakete", series: ["network_pps_in", "network_pps_out"] },
  { key: "network_bandwidth", title: "Netzwerk: Bandbreite", series: ["network_bandwidth_in", "network_bandwidth_out"] },
] as const satisfies readonly { key: string; title: string; series: readonly MetricKey[] }[];

const MAX_SAMPLES = 500;
const MIN_STEP_SECONDS = 60;

export type MetricSummary = { current: number | null; average: number | null; peak: number | null };

/** Current (last sample with a value), average and peak of a series. */
export function summarize(values: readonly (number | null)[]): MetricSummary {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return { current: null, average: null, peak: null };
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    current: round(known[known.length - 1]),
    average: round(known.reduce((a, b) => a + b, 0) / known.length),
    peak: round(Math.max(...known)),
  };
}

/**
 * Hetzner's series on one time axis (the union of all timestamps, at most 500:
 * more would only happen if Hetzner ignored its own limit, then every n-th is kept),
 * CPU divided by the cores.
 */
export function alignMetrics(metrics: HetznerMetrics, cores: number) {
  const stamps = new Set<number>();
  for (const s of METRIC_SERIES) for (const p of metrics.series[s.hetzner] ?? []) stamps.add(p.t);
  let timestamps = [...stamps].sort((a, b) => a - b);
  if (timestamps.length > MAX_SAMPLES) {
    const every = Math.ceil(timestamps.length / MAX_SAMPLES);
    timestamps = timestamps.filter((_, i) => i % every === 0);
  }
  const series = {} as Record<MetricKey, (number | null)[]>;
  for (const s of METRIC_SERIES) {
    const byTime = new Map((metrics.series[s.hetzner] ?? []).map((p) => [p.t, p.v]));
    series[s.key] = timestamps.map((t) => {
      const v = byTime.get(t) ?? null;
      if (v === null) return null;
      const value = s.key === "cpu" ? Math.min(100, Math.max(0, v / cores)) : Math.max(0, v);
      return Math.round(value * 100) / 100;
    });
  }
  const summary = Object.fromEntries(METRIC_SERIES.map((s) => [s.key, summarize(series[s.key])])) as Record<MetricKey, MetricSummary>;
  return { timestamps, series, summary };
}

const summarySchema = z.object({ current: z.number().nullable(), average: z.number().nullable(), peak: z.number().nullable() });
const seriesKeys = METRIC_SERIES.map((s) => s.key) as [MetricKey, ...MetricKey[]];

/** The answer of the metrics endpoints (documentation and tests; the handler returns `getServerMetrics`). */
export const serverMetricsResponse = z
  .object({
    range: z.enum(Object.keys(METRIC_RANGES) as [MetricRange, ...MetricRange[]]),
    start: z.string(),
    end: z.string(),
    step_seconds: z.number().meta({ description: "Sekunden zwischen zwei Messpunkten (höchstens 500 je Reihe)" }),
    cores: z.number().int().nullable().meta({ description: "vCPUs; CPU ist auf 0–100 % des ganzen Servers umgerechnet" }),
    timestamps: z.array(z.number().int()).meta({ description: "UNIX-Sekunden der Messpunkte" }),
    series: z.record(z.enum(seriesKeys), z.array(z.number().nullable())).meta({
      description: "Je Reihe ein Wert pro Zeitpunkt (null = kein Messwert). cpu in %, *_iops in Zugriffen/s, *_bandwidth_* in Byte/s, *_pps_* in Paketen/s",
    }),
    summary: z.record(z.enum(seriesKeys), summarySchema).meta({ description: "Textalternative je Reihe: aktueller Wert, Durchschnitt, Spitze" }),
    charts: z.array(
      z.object({
        key: z.string(),
        title: z.string(),
        series: z.array(z.object({ key: z.enum(seriesKeys), label: z.string(), unit: z.enum(["percent", "iops", "bytes_per_second", "packets_per_second"]) })),
      }),
    ),
  })
  .meta({ id: "ServerMetrics" });

export type ServerMetrics = Awaited<ReturnType<typeof getServerMetrics>>;

export async function getServerMetrics(instanceId: number, input: { range: MetricRange }, options: { now?: Date } = {}) {
  const db = await getDb();
  const [server] = await db.select().from(servers).where(eq(servers.instanceId, instanceId));
  if (!server?.hetznerServerId) throw new UnprocessableError("Kein Hetzner-Server zugeordnet");
  const seconds = METRIC_RANGES[input.range];
  const end = options.now ?? new Date();
  const start = new Date(end.getTime() - seconds * 1000);
  const step = Math.max(MIN_STEP_SECONDS, Math.ceil(seconds / MAX_SAMPLES));

  const client = await hetznerClient({ maxTimeoutMs: 8000 });
  let metrics: HetznerMetrics;
  let cores = server.serverType ? SERVER_TYPE_RESOURCES[server.serverType.toLowerCase()]?.cores ?? null : null;
  try {
    metrics = await client.getMetrics(server.hetznerServerId, { types: ["cpu", "disk", "network"], start, end, step });
    // A server type the portal has no table entry for: ask Hetzner how many vCPUs it has.
    cores ??= (await client.getServer(server.hetznerServerId)).cores;
  } catch (error) {
    throw new UpstreamError(
      `Die Messwerte konnten nicht von Hetzner abgerufen werden: ${error instanceof HetznerError ? error.userMessage : "unbekannter Fehler"}`,
    );
  }
  const aligned = alignMetrics(metrics, cores && cores > 0 ? cores : 1);
  return {
    range: input.range,
    start: apiTimestamp(metrics.start),
    end: apiTimestamp(metrics.end),
    step_seconds: metrics.step,
    cores,
    /** UNIX seconds of the samples; every series has one value (or null) per timestamp. */
    timestamps: aligned.timestamps,
    series: aligned.series,
    summary: aligned.summary,
    charts: METRIC_CHARTS.map((c) => ({
      key: c.key,
      title: c.title,
      series: c.series.map((key) => {
        const s = METRIC_SERIES.find((m) => m.key === key)!;
        return { key, label: s.label, unit: s.unit };
      }),
    })),
  };
}
