"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card, EmptyState, LoadingBlock } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { ApiError, apiFetch } from "@/lib/client/api";
import type { Tier } from "./types";

export function TiersEditor({ canManage }: { canManage: boolean }) {
  const query = useQuery({ queryKey: ["admin", "tiers"], queryFn: () => apiFetch<{ tiers: Tier[] }>("/api/manage/admin/tiers") });
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Tarife</h1>
      <p className="text-sm text-slate-600">Änderungen gelten sofort für alle Instanzen des Tarifs (Statusübersicht der Kunden).</p>
      {query.isPending && <LoadingBlock label="Tarife werden geladen …" />}
      {query.isError && <Alert kind="error">{query.error.message}</Alert>}
      {query.data && query.data.tiers.length === 0 && <EmptyState title="Keine Tarife angelegt" />}
      <div className="grid gap-4 lg:grid-cols-3">
        {query.data?.tiers.map((t) => <TierCard key={t.key} tier={t} canManage={canManage} />)}
      </div>
    </div>
  );
}

function TierCard({ tier, canManage }: { tier: Tier; canManage: boolean }) {
  const client = useQueryClient();
  const toast = useToast();
  const [form, setForm] = useState({
    label: tier.label,
    monthly_price: tier.monthly_price.toFixed(2).replace(".", ","),
    max_customers: String(tier.max_customers),
    max_devices: String(tier.max_devices),
  });
  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const num = (v: string) => (v.trim() === "" ? undefined : Number(v.replace(/\./g, "").replace(",", ".")));
  const save = useMutation({
    mutationFn: () =>
      apiFetch<{ message: string }>(`/api/manage/admin/tiers/${tier.key}`, {
        method: "PATCH",
        body: { label: form.label, monthly_price: num(form.monthly_price), max_customers: num(form.max_customers), max_devices: num(form.max_devices) },
      }),
    onSuccess: (data) => {
      toast("success", data.message);
      void client.invalidateQueries({ queryKey: ["admin"] });
    },
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  return (
    <Card title={`${tier.label} (${tier.key})`}>
      <p className="mb-3 text-sm text-slate-600" data-testid={`tier-${tier.key}`}>
        {tier.monthly_price_label} / Monat · {tier.instance_count} Instanzen
      </p>
      <form
        noValidate
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <fieldset disabled={!canManage} className="space-y-3">
          <Field label="Bezeichnung" value={form.label} onChange={set("label")} error={errors.label?.[0]} />
          <Field label="Monatspreis (€)" inputMode="decimal" value={form.monthly_price} onChange={set("monthly_price")} error={errors.monthly_price?.[0]} />
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
    </Card>
  );
}
