import type { presentUsage } from "@/lib/instances/usage";

type Usage = ReturnType<typeof presentUsage>;
const number = new Intl.NumberFormat("de-DE");
const pct = new Intl.NumberFormat("de-DE", { maximumFractionDigits: 1 });

/** Green below 80 %, amber from 80 %, red from 100 % (lib/instances/usage.ts). */
function tone(percent: number | null) {
  if (percent === null) return { bar: "bg-slate-300", text: "text-slate-600" };
  if (percent >= 100) return { bar: "bg-red-600", text: "text-red-700" };
  if (percent >= 80) return { bar: "bg-amber-500", text: "text-amber-800" };
  return { bar: "bg-emerald-500", text: "text-slate-700" };
}

function Bar({ label, used, max, percent }: { label: string; used: number | null; max: number; percent: number | null }) {
  const t = tone(percent);
  const note = percent === null ? "" : percent >= 100 ? " – Limit erreicht" : percent >= 80 ? " – bald ausgeschöpft" : "";
  return (
    <div className="space-y-1">
      <div className="flex justify-between gap-3 text-sm">
        <span className="text-slate-600">{label}</span>
        <span className={`font-medium tabular-nums ${t.text}`}>
          {used === null ? "–" : number.format(used)} von {number.format(max)}
          {percent !== null && ` (${pct.format(percent)} %)`}
          {note}
        </span>
      </div>
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={used ?? undefined}
        aria-valuetext={used === null ? "nicht bekannt" : `${number.format(used)} von ${number.format(max)}${note}`}
        className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div className={`h-full rounded-full ${t.bar}`} style={{ width: `${Math.min(100, percent ?? 0)}%` }} />
      </div>
    </div>
  );
}

/** Customers and devices the instance manages, against its limits. */
export function UsageBars({ usage, limits }: { usage: Usage; limits: { max_customers: number; max_devices: number } }) {
  return (
    <div className="space-y-3" data-testid="usage-bars">
      <Bar label="Kunden" used={usage.customers} max={limits.max_customers} percent={usage.customers_percent} />
      <Bar label="Geräte" used={usage.devices} max={limits.max_devices} percent={usage.devices_percent} />
      {usage.error ? (
        <p className="text-xs text-amber-800">Zuletzt nicht abrufbar: {usage.error}</p>
      ) : usage.reported_at ? (
        <p className="text-xs text-slate-500">Von der Instanz gemeldet, Stand {new Date(usage.reported_at).toLocaleString("de-DE", { timeZone: "Europe/Berlin", dateStyle: "medium", timeStyle: "short" })}.</p>
      ) : (
        <p className="text-xs text-slate-500">Die Instanz hat ihre Nutzung noch nicht gemeldet.</p>
      )}
    </div>
  );
}
