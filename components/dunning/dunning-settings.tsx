"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card, LoadingBlock } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { ApiError, apiFetch } from "@/lib/client/api";
import type { DunningSettings } from "./types";

/** Billing page (staff): the dunning stages, the fee and the automatic suspension. */
export function DunningSettingsSection({ canWrite }: { canWrite: boolean }) {
  const query = useQuery({ queryKey: ["admin", "dunning", "settings"], queryFn: () => apiFetch<{ settings: DunningSettings }>("/api/manage/admin/dunning/settings") });
  return (
    <Card title="Mahnwesen">
      {query.isPending && <LoadingBlock label="Mahneinstellungen werden geladen …" />}
      {query.isError && <Alert kind="error">{query.error.message}</Alert>}
      {query.data && <DunningForm key={query.data.settings.updated_at ?? "default"} settings={query.data.settings} canWrite={canWrite} />}
    </Card>
  );
}

const DAY_FIELDS = [
  ["reminder_days", "Zahlungserinnerung nach (Tagen)"],
  ["dunning_1_days", "1. Mahnung nach (Tagen)"],
  ["dunning_2_days", "2. Mahnung nach (Tagen)"],
  ["suspend_after_days", "Sperre nach (Tagen)"],
] as const;

function DunningForm({ settings, canWrite }: { settings: DunningSettings; canWrite: boolean }) {
  const client = useQueryClient();
  const toast = useToast();
  const [form, setForm] = useState({
    enabled: settings.enabled,
    reminder_days: String(settings.reminder_days),
    dunning_1_days: String(settings.dunning_1_days),
    dunning_2_days: String(settings.dunning_2_days),
    suspend_after_days: String(settings.suspend_after_days),
    dunning_2_fee: String(settings.dunning_2_fee).replace(".", ","),
  });
  const save = useMutation({
    mutationFn: () =>
      apiFetch<{ message: string }>("/api/manage/admin/dunning/settings", {
        method: "PUT",
        body: {
          enabled: form.enabled,
          reminder_days: Number(form.reminder_days),
          dunning_1_days: Number(form.dunning_1_days),
          dunning_2_days: Number(form.dunning_2_days),
          suspend_after_days: Number(form.suspend_after_days),
          dunning_2_fee: Number(form.dunning_2_fee.replace(",", ".")),
        },
      }),
    onSuccess: (data) => {
      toast("success", data.message);
      void client.invalidateQueries({ queryKey: ["admin", "dunning"] });
    },
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  return (
    <form
      className="max-w-lg space-y-4"
      data-testid="dunning-settings"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <p className="text-sm text-slate-600">
        Tage nach Fälligkeit. Jede Stufe wird je Rechnung einmal per E-Mail mit Mahnschreiben und offenen Rechnungen als PDF versandt; nach Zahlungseingang endet das Mahnwesen, eine automatische Sperre wird aufgehoben.
      </p>
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" className="mt-1" checked={form.enabled} disabled={!canWrite} onChange={(e) => setForm((f) => ({ ...f, enabled: e.target.checked }))} />
        <span>Mahnwesen und automatische Sperre aktiv</span>
      </label>
      <div className="grid gap-4 sm:grid-cols-2">
        {DAY_FIELDS.map(([key, label]) => (
          <Field key={key} label={label} type="number" min={1} max={365} value={form[key]} disabled={!canWrite} onChange={(e) => setForm((f) => ({ ...f, [key]: e.target.value }))} error={errors[key]?.[0]} />
        ))}
        <Field
          label="Mahngebühr 2. Mahnung (€)"
          inputMode="decimal"
          value={form.dunning_2_fee}
          disabled={!canWrite}
          onChange={(e) => setForm((f) => ({ ...f, dunning_2_fee: e.target.value }))}
          error={errors.dunning_2_fee?.[0]}
          hint="0 = keine Gebühr"
        />
      </div>
      {save.isError && Object.keys(errors).length === 0 && <Alert kind="error">{save.error.message}</Alert>}
      {canWrite && (
        <Button type="submit" busy={save.isPending}>
          Mahneinstellungen speichern
        </Button>
      )}
    </form>
  );
}
