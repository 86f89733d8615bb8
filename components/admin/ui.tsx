"use client";

import { useId } from "react";
import { Badge } from "@/components/ui/card";

export const toneFor = (status: string) =>
  status === "online" || status === "healthy" || status === "active"
    ? "green"
    : status === "suspended" || status === "off" || status === "unhealthy" || status === "past_due" || status === "deactivated" || status === "cancelled"
      ? "red"
      : status === "unknown" || status === "none"
        ? "slate"
        : status === "trial" || status === "invited"
          ? "blue"
          : "amber";

export function StatusBadge({ status, label, testId }: { status: string; label: string; testId?: string }) {
  return (
    <Badge tone={toneFor(status)}>
      <span data-testid={testId}>{label}</span>
    </Badge>
  );
}

export function Select({
  label,
  value,
  onChange,
  options,
  error,
  name,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  error?: string;
  name?: string;
}) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        id={id}
        name={name}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className={`block w-full rounded-md border bg-white px-3 py-2 text-base shadow-sm sm:text-sm ${error ? "border-red-500" : "border-slate-300"}`}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

export function DetailRow({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex justify-between gap-4 border-b border-slate-100 py-2 text-sm last:border-0">
      <dt className="text-slate-500">{label}</dt>
      <dd className="text-right font-medium text-slate-900">{children}</dd>
    </div>
  );
}

export const INSTANCE_STATUS_OPTIONS = [
  { value: "", label: "Alle Status" },
  { value: "online", label: "Online" },
  { value: "offline", label: "Offline" },
  { value: "provisioning", label: "Wird eingerichtet" },
  { value: "maintenance", label: "Wartung" },
  { value: "suspended", label: "Gesperrt" },
];

export const BILLING_STATUS_OPTIONS = [
  { value: "", label: "Alle Abrechnungen" },
  { value: "trial", label: "Testphase" },
  { value: "active", label: "Aktiv" },
  { value: "past_due", label: "Zahlung überfällig" },
  { value: "cancelled", label: "Gekündigt" },
];
