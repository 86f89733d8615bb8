"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card, EmptyState, LoadingBlock } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import type { listTiers } from "@/lib/admin/tiers";
import type { scheduleTierPrice } from "@/lib/billing/tier-prices";
import { ApiError, apiFetch } from "@/lib/client/api";
import type { Tier } from "./types";

type TiersResponse = Awaited<ReturnType<typeof listTiers>>;
type ScheduleResponse = Awaited<ReturnType<typeof scheduleTierPrice>>;
type Impact = ScheduleResponse["impact"];
type UpcomingChange = Tier["upcoming_price_changes"][number];

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function TiersEditor({ canManage }: { canManage: boolean }) {
  const query = useQuery({ queryKey: ["admin", "tiers"], queryFn: () => apiFetch<TiersResponse>("/api/manage/admin/tiers") });
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Tarife</h1>
      <p className="text-sm text-slate-600">
        Bezeichnung und Limits gelten sofort für alle Instanzen des Tarifs. Ein neuer Monatspreis gilt erst ab einem Datum (standardmäßig ab dem nächsten
        Abrechnungszeitraum) und wird den betroffenen Kunden in ihrem Aktivitätsprotokoll angekündigt.
      </p>
      {query.isPending && <LoadingBlock label="Tarife werden geladen …" />}
      {query.isError && <Alert kind="error">{query.error.message}</Alert>}
      {query.data && query.data.tiers.length === 0 && <EmptyState title="Keine Tarife angelegt" />}
      <div className="grid gap-4 lg:grid-cols-3">
        {query.data?.tiers.map((t) => <TierCard key={t.key} tier={t} defaultEffectiveFrom={query.data.default_effective_from} canManage={canManage} />)}
      </div>
    </div>
  );
}

function TierCard({ tier, defaultEffectiveFrom, canManage }: { tier: Tier; defaultEffectiveFrom: string; canManage: boolean }) {
  return (
    <Card title={`${tier.label} (${tier.key})`}>
      <p className="mb-3 text-sm text-slate-600" data-testid={`tier-${tier.key}`}>
        {tier.monthly_price_label} / Monat netto · {plural(tier.instance_count, "Instanz", "Instanzen")}
      </p>
      <UpcomingChanges tier={tier} canManage={canManage} />
      <div className="space-y-6">
        <DetailsForm tier={tier} canManage={canManage} />
        <PriceChangeForm tier={tier} defaultEffectiveFrom={defaultEffectiveFrom} canManage={canManage} />
      </div>
    </Card>
  );
}

function UpcomingChanges({ tier, canManage }: { tier: Tier; canManage: boolean }) {
  const client = useQueryClient();
  const toast = useToast();
  const [pending, setPending] = useState<UpcomingChange | null>(null);
  const cancel = useMutation({
    mutationFn: (change: UpcomingChange) => apiFetch<{ message: string }>(`/api/manage/admin/tiers/${tier.key}/price-changes/${change.effective_from}`, { method: "DELETE" }),
    onSuccess: (data) => {
      toast("success", data.message);
      void client.invalidateQueries({ queryKey: ["admin"] });
    },
    onSettled: () => setPending(null),
  });
  if (tier.upcoming_price_changes.length === 0) return null;
  return (
    <div className="mb-4 space-y-2">
      <h3 className="text-sm font-semibold text-slate-800">Geplante Preisänderungen</h3>
      <ul className="space-y-1 text-sm" data-testid={`tier-${tier.key}-upcoming`}>
        {tier.upcoming_price_changes.map((c) => (
          <li key={c.effective_from} className="flex items-center justify-between gap-2 rounded-md bg-amber-50 px-3 py-1.5 text-amber-900">
            <span>{c.label}</span>
            {canManage && (
              <Button variant="ghost" className="min-h-8 px-2 py-1" aria-label={`Stornieren: Preisänderung ${c.label}`} onClick={() => setPending(c)}>
                Stornieren
              </Button>
            )}
          </li>
        ))}
      </ul>
      {cancel.isError && <Alert kind="error">{cancel.error.message}</Alert>}
      <ConfirmDialog
        open={pending !== null}
        title="Preisänderung stornieren?"
        confirmLabel="Stornieren"
        onCancel={() => setPending(null)}
        onConfirm={() => pending && cancel.mutate(pending)}
        confirmDisabled={cancel.isPending}
      >
        {pending && (
          <p>
            Tarif „{tier.label}“, {pending.label}: Die Änderung entfällt. Die betroffenen Kunden sehen den Hinweis in ihrem Aktivitätsprotokoll.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}

function DetailsForm({ tier, canManage }: { tier: Tier; canManage: boolean }) {
  const client = useQueryClient();
  const toast = useToast();
  const [form, setForm] = useState({ label: tier.label, max_customers: String(tier.max_customers), max_devices: String(tier.max_devices) });
  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const num = (v: string) => (v.trim() === "" ? undefined : Number(v.replace(/\./g, "").replace(",", ".")));
  const save = useMutation({
    mutationFn: () =>
      apiFetch<{ message: string }>(`/api/manage/admin/tiers/${tier.key}`, {
        method: "PATCH",
        body: { label: form.label, max_customers: num(form.max_customers), max_devices: num(form.max_devices) },
      }),
    onSuccess: (data) => {
      toast("success", data.message);
      void client.invalidateQueries({ queryKey: ["admin"] });
    },
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  return (
    <form
      noValidate
      className="space-y-3"
      aria-label={`Bezeichnung und Limits: ${tier.label}`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <fieldset disabled={!canManage} className="space-y-3">
        <Field label="Bezeichnung" value={form.label} onChange={set("label")} error={errors.label?.[0]} />
        <Field label="Max. Kunden" inputMode="numeric" value={form.max_customers} onChange={set("max_customers")} error={errors.max_customers?.[0]} />
        <Field label="Max. Geräte" inputMode="numeric" value={form.max_devices} onChange={set("max_devices")} error={errors.max_devices?.[0]} />
      </fieldset>
      {save.isError && Object.keys(errors).length === 0 && <Alert kind="error">{save.error.message}</Alert>}
      {canManage && (
        <Button type="submit" busy={save.isPending}>
          Tarif speichern
        </Button>
      )}
    </form>
  );
}

/**
 * A new price: first a dry run (the server validates and counts who is
 * affected), then the confirmation dialog with those numbers, then the real
 * scheduling with exactly the values that were previewed.
 */
function PriceChangeForm({ tier, defaultEffectiveFrom, canManage }: { tier: Tier; defaultEffectiveFrom: string; canManage: boolean }) {
  const client = useQueryClient();
  const toast = useToast();
  const [form, setForm] = useState({ monthly_price: "", effective_from: defaultEffectiveFrom });
  const [preview, setPreview] = useState<{ values: typeof form; impact: Impact } | null>(null);
  const post = (values: typeof form, dryRun: boolean) =>
    apiFetch<ScheduleResponse>(`/api/manage/admin/tiers/${tier.key}/price-changes`, { method: "POST", body: { ...values, dry_run: dryRun } });
  const check = useMutation({
    mutationFn: (values: typeof form) => post(values, true).then((r) => ({ values, impact: r.impact })),
    onSuccess: setPreview,
  });
  const schedule = useMutation({
    mutationFn: (values: typeof form) => post(values, false),
    onSuccess: (data) => {
      toast("success", data.message);
      setForm({ monthly_price: "", effective_from: defaultEffectiveFrom });
      void client.invalidateQueries({ queryKey: ["admin"] });
    },
    onSettled: () => setPreview(null),
  });
  const failed = check.error ?? schedule.error;
  const errors = failed instanceof ApiError ? failed.fieldErrors : {};
  const impact = preview?.impact;
  if (!canManage) return null;
  return (
    <>
      <form
        noValidate
        className="space-y-3 border-t border-slate-200 pt-4"
        aria-label={`Preisänderung planen: ${tier.label}`}
        onSubmit={(e) => {
          e.preventDefault();
          schedule.reset();
          check.mutate(form);
        }}
      >
        <h3 className="text-sm font-semibold text-slate-800">Preisänderung planen</h3>
        <Field
          label="Neuer Monatspreis (€)"
          inputMode="decimal"
          placeholder={tier.monthly_price_label.replace(/\s*€$/, "")}
          value={form.monthly_price}
          onChange={(e) => setForm((f) => ({ ...f, monthly_price: e.target.value }))}
          error={errors.monthly_price?.[0]}
        />
        <Field
          label="Gültig ab"
          type="date"
          value={form.effective_from}
          onChange={(e) => setForm((f) => ({ ...f, effective_from: e.target.value }))}
          hint="Standard: erster Tag des nächsten Abrechnungszeitraums"
          error={errors.effective_from?.[0]}
        />
        {failed && Object.keys(errors).length === 0 && <Alert kind="error">{failed.message}</Alert>}
        <Button type="submit" variant="secondary" busy={check.isPending}>
          Preisänderung prüfen …
        </Button>
      </form>
      {/* Outside the form: the dialog's buttons must not submit it. */}
      <ConfirmDialog
        open={preview !== null}
        title="Preisänderung bestätigen"
        confirmLabel="Preisänderung planen"
        danger={false}
        confirmDisabled={schedule.isPending}
        onCancel={() => setPreview(null)}
        onConfirm={() => preview && schedule.mutate(preview.values)}
      >
        {impact && (
          <div className="space-y-2" data-testid="price-change-impact">
            <p>
              Tarif „{impact.tier_label}“: ab <strong>{impact.effective_from_label}</strong> {impact.monthly_price_label} statt {impact.previous_price_label} pro Monat.
            </p>
            <p>
              Betroffen: <strong>{plural(impact.instance_count, "Instanz", "Instanzen")}</strong> von <strong>{impact.customer_count} Kunden</strong> (Firmen). Jeder
              betroffene Kunde erhält eine Ankündigung in seinem Aktivitätsprotokoll.
            </p>
            {impact.price_override_count > 0 && (
              <p>
                {impact.price_override_count === 1
                  ? "1 weitere Instanz hat einen individuellen Preis und bleibt unverändert."
                  : `${impact.price_override_count} weitere Instanzen haben einen individuellen Preis und bleiben unverändert.`}
              </p>
            )}
            {impact.already_billed_count > 0 && (
              <Alert kind="warning">
                {plural(impact.already_billed_count, "Instanz ist", "Instanzen sind")} für {impact.already_billed_period_label} bereits abgerechnet; diese Rechnungen
                bleiben unverändert.
              </Alert>
            )}
          </div>
        )}
      </ConfirmDialog>
    </>
  );
}
