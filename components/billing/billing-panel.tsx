"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card, LoadingBlock } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { ApiError, apiFetch } from "@/lib/client/api";
import { plural } from "@/lib/client/plural";
import type { BillingPreview, BillingRunResult, BillingSettings } from "./types";

function currentPeriod() {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit" }).format(new Date());
  return today.slice(0, 7);
}

export function BillingPanel({ canWrite }: { canWrite: boolean }) {
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Abrechnung</h1>
      <p className="text-sm text-slate-600">
        Monatlicher Rechnungslauf im Voraus: Tarifpreis und wiederkehrende Positionen je Instanz. Jede Instanz erhält pro Monat genau eine Rechnung, auch wenn der Lauf wiederholt wird.
      </p>
      <RunSection canWrite={canWrite} />
      <SettingsSection canWrite={canWrite} />
    </div>
  );
}

function RunSection({ canWrite }: { canWrite: boolean }) {
  const client = useQueryClient();
  const toast = useToast();
  const [period, setPeriod] = useState(currentPeriod);
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<BillingRunResult | null>(null);
  // Staff's decision per conflicting instance; none = the run leaves it out.
  const [decisions, setDecisions] = useState<Record<number, "" | "bill" | "bill_uncovered" | "skip">>({});
  const valid = /^\d{4}-(0[1-9]|1[0-2])$/.test(period);
  const preview = useQuery({
    queryKey: ["admin", "billing", "preview", period],
    queryFn: () => apiFetch<{ preview: BillingPreview }>(`/api/manage/admin/billing/preview?period=${encodeURIComponent(period)}`),
    enabled: valid,
  });
  const run = useMutation({
    mutationFn: () => apiFetch<{ message: string; run: BillingRunResult }>("/api/manage/admin/billing/runs", { method: "POST", body: { period, decisions: Object.entries(decisions).filter(([, action]) => action).map(([id, action]) => ({ instance_id: Number(id), action })) } }),
    onSuccess: (data) => {
      setResult(data.run);
      toast("success", data.message);
      void client.invalidateQueries({ queryKey: ["admin"] });
    },
    onSettled: () => setConfirming(false),
  });
  const data = preview.data?.preview;
  return (
    <Card title="Rechnungslauf">
      <div className="space-y-4">
        <div className="max-w-xs">
          <Field
            label="Abrechnungsmonat"
            type="month"
            value={period}
            onChange={(e) => {
              setPeriod(e.target.value);
              setResult(null);
              setDecisions({});
            }}
            error={valid ? undefined : "Bitte einen Monat wählen."}
          />
        </div>
        {preview.isPending && valid && <LoadingBlock label="Vorschau wird berechnet …" />}
        {preview.isError && <Alert kind="error">{preview.error.message}</Alert>}
        {data && (
          <div className="space-y-3">
            <p className="text-lg font-semibold" data-testid="billing-summary">
              {data.summary_label}
            </p>
            <p className="text-sm text-slate-600" data-testid="billing-gross">
              Brutto {data.gross_total_label} (Tarifpreise sind Nettopreise; USt. nach Rechnungsprofil)
            </p>
            {data.conflict_count > 0 && (
              <Alert kind="warning" title={`${plural(data.conflict_count, "Instanz", "Instanzen")} bereits berechnet`}>
                Für diesen Zeitraum gibt es schon manuelle Rechnungen. Ohne Entscheidung werden diese Instanzen nicht abgerechnet.
              </Alert>
            )}
            {data.already_billed_count > 0 && <p className="text-sm text-slate-600">Bereits abgerechnet: {plural(data.already_billed_count, "Instanz", "Instanzen")} (werden nicht erneut berechnet).</p>}
            <p className="text-sm text-slate-600">{data.auto_issue ? "Die Rechnungen werden sofort ausgestellt und versandt." : "Die Rechnungen werden als Entwürfe zur Prüfung angelegt."}</p>
            {data.invoices.length > 0 && (
              <div className="overflow-x-auto">
                <table className="min-w-full text-sm">
                  <thead>
                    <tr className="text-left text-slate-500">
                      <th className="py-1 pr-4 font-medium">Instanz</th>
                      <th className="py-1 pr-4 font-medium">Positionen</th>
                      <th className="py-1 pr-4 text-right font-medium">Netto</th>
                      <th className="py-1 pr-4 text-right font-medium">USt.</th>
                      <th className="py-1 text-right font-medium">Brutto</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.invoices.map((inv) => (
                      <tr key={inv.instance_id} className="border-t border-slate-100 align-top">
                        <td className="py-2 pr-4">{inv.company_name ?? inv.instance_name}</td>
                        <td className="py-2 pr-4">
                          <ul className="space-y-0.5">
                            {inv.lines.map((l, i) => (
                              <li key={i}>
                                {l.description}: {l.net_label}
                              </li>
                            ))}
                          </ul>
                          {inv.conflicts.map((c) => (
                            <p key={c.invoice_id} className="mt-1 text-amber-800" data-testid="billing-conflict">
                              Bereits berechnet: {c.invoice_number ?? "Entwurf"} „{c.title}“ ({c.service_period})
                            </p>
                          ))}
                          {inv.conflicts.length > 0 && canWrite && (
                            <label className="mt-1 block text-sm">
                              <span className="sr-only">Entscheidung für {inv.company_name ?? inv.instance_name}</span>
                              <select
                                className="mt-1 rounded-md border border-slate-300 px-2 py-1"
                                value={decisions[inv.instance_id] ?? ""}
                                onChange={(e) => setDecisions((d) => ({ ...d, [inv.instance_id]: e.target.value as "" | "bill" | "bill_uncovered" | "skip" }))}
                              >
                                <option value="">Offen lassen (nicht abrechnen)</option>
                                <option value="skip">Gilt als berechnet</option>
                                <option value="bill_uncovered">Nur nicht berechnete Positionen abrechnen</option>
                                <option value="bill">Trotzdem vollständig abrechnen</option>
                              </select>
                            </label>
                          )}
                        </td>
                        <td className="py-2 pr-4 text-right tabular-nums">{inv.net_label}</td>
                        <td className="py-2 pr-4 text-right tabular-nums">{inv.vat_label}</td>
                        <td className="py-2 text-right tabular-nums">{inv.gross_label}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {canWrite && (
              <Button onClick={() => setConfirming(true)} disabled={data.invoice_count === 0 && !Object.values(decisions).some(Boolean)} busy={run.isPending}>
                Rechnungslauf starten
              </Button>
            )}
          </div>
        )}
        {run.isError && <Alert kind="error">{run.error.message}</Alert>}
        {result && (
          <Alert kind="success" title="Rechnungslauf abgeschlossen">
            {result.summary_label}
            {result.issued_count > 0 && ` – ${result.issued_count} ausgestellt`}
            {result.issue_failed_count > 0 && ` – ${result.issue_failed_count} nicht ausgestellt (siehe Rechnungsstellung)`}
          </Alert>
        )}
        <ConfirmDialog
          open={confirming}
          title="Rechnungslauf starten?"
          confirmLabel="Rechnungslauf starten"
          danger={false}
          onConfirm={() => run.mutate()}
          onCancel={() => setConfirming(false)}
        >
          {data?.summary_label}
        </ConfirmDialog>
      </div>
    </Card>
  );
}

function SettingsSection({ canWrite }: { canWrite: boolean }) {
  const query = useQuery({ queryKey: ["admin", "billing", "settings"], queryFn: () => apiFetch<{ settings: BillingSettings }>("/api/manage/admin/billing/settings") });
  return (
    <Card title="Einstellungen">
      {query.isPending && <LoadingBlock label="Einstellungen werden geladen …" />}
      {query.isError && <Alert kind="error">{query.error.message}</Alert>}
      {query.data && <SettingsForm key={query.data.settings.updated_at ?? "default"} settings={query.data.settings} canWrite={canWrite} />}
    </Card>
  );
}

function SettingsForm({ settings, canWrite }: { settings: BillingSettings; canWrite: boolean }) {
  const client = useQueryClient();
  const toast = useToast();
  const [form, setForm] = useState({ billing_day: String(settings.billing_day), bill_suspended: settings.bill_suspended, auto_issue: settings.auto_issue });
  const save = useMutation({
    mutationFn: () =>
      apiFetch<{ message: string }>("/api/manage/admin/billing/settings", {
        method: "PUT",
        body: { billing_day: Number(form.billing_day), bill_suspended: form.bill_suspended, auto_issue: form.auto_issue },
      }),
    onSuccess: (data) => {
      toast("success", data.message);
      void client.invalidateQueries({ queryKey: ["admin", "billing"] });
    },
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  return (
    <form
      className="max-w-lg space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Field
        label="Abrechnungstag im Monat"
        type="number"
        min={1}
        max={28}
        value={form.billing_day}
        disabled={!canWrite}
        onChange={(e) => setForm((f) => ({ ...f, billing_day: e.target.value }))}
        error={errors.billing_day?.[0]}
        hint="Ab diesem Tag rechnet der automatische Lauf den laufenden Monat ab (1–28)."
      />
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" className="mt-1" checked={form.bill_suspended} disabled={!canWrite} onChange={(e) => setForm((f) => ({ ...f, bill_suspended: e.target.checked }))} />
        <span>Gesperrte Instanzen weiter abrechnen (der Vertrag läuft weiter)</span>
      </label>
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" className="mt-1" checked={form.auto_issue} disabled={!canWrite} onChange={(e) => setForm((f) => ({ ...f, auto_issue: e.target.checked }))} />
        <span>Rechnungen sofort ausstellen und versenden (sonst Entwürfe zur Prüfung)</span>
      </label>
      {save.isError && !(save.error instanceof ApiError && Object.keys(errors).length > 0) && <Alert kind="error">{save.error.message}</Alert>}
      {canWrite && (
        <Button type="submit" busy={save.isPending}>
          Einstellungen speichern
        </Button>
      )}
    </form>
  );
}
