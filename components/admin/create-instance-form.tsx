"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { Field, Select } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { ApiError, apiFetch } from "@/lib/client/api";
import type { AdminInstanceDetail, Tier } from "./types";

export function CreateInstanceForm({ mspDomain }: { mspDomain: string }) {
  const router = useRouter();
  const toast = useToast();
  const client = useQueryClient();
  const tiers = useQuery({ queryKey: ["admin", "tiers"], queryFn: () => apiFetch<{ tiers: Tier[] }>("/api/manage/admin/tiers") });
  const [form, setForm] = useState({ name: "", company_name: "", pricing_tier: "", hetzner_server_id: "" });
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const tier = form.pricing_tier || tiers.data?.tiers[0]?.key || "";
  const slug = form.name.trim().toLowerCase() || "<name>";

  const create = useMutation({
    mutationFn: () =>
      apiFetch<{ instance: AdminInstanceDetail }>("/api/manage/admin/instances", {
        method: "POST",
        body: {
          name: form.name,
          company_name: form.company_name,
          pricing_tier: tier,
          hetzner_server_id: form.hetzner_server_id.trim() === "" ? null : Number(form.hetzner_server_id),
        },
      }),
    onSuccess: (data) => {
      toast("success", `Instanz ${data.instance.name} angelegt.`);
      void client.invalidateQueries({ queryKey: ["admin"] });
      router.push(`/verwaltung/instanzen/${data.instance.id}`);
    },
  });
  const errors = create.error instanceof ApiError ? create.error.fieldErrors : {};

  return (
    <>
    <h1 className="text-2xl font-bold">Neue Instanz anlegen</h1>
    <Card>
      <form
        className="space-y-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        {create.isError && Object.keys(errors).length === 0 && <Alert kind="error">{create.error.message}</Alert>}
        <Field
          label="Instanzname"
          name="name"
          required
          autoComplete="off"
          value={form.name}
          onChange={(e) => set("name")(e.target.value)}
          error={errors.name?.[0]}
          hint="Kleinbuchstaben, Ziffern und Bindestriche; wird Teil der Domains."
        />
        <Field label="Firma" name="company_name" required value={form.company_name} onChange={(e) => set("company_name")(e.target.value)} error={errors.company_name?.[0]} />
        <Select
          label="Tarif"
          value={tier}
          onChange={set("pricing_tier")}
          options={(tiers.data?.tiers ?? []).map((t) => ({ value: t.key, label: `${t.label} (${t.monthly_price_label}/Monat netto)` }))}
          error={errors.pricing_tier?.[0]}
        />
        <Field
          label="Hetzner-Server-ID (optional)"
          name="hetzner_server_id"
          inputMode="numeric"
          value={form.hetzner_server_id}
          onChange={(e) => set("hetzner_server_id")(e.target.value)}
          error={errors.hetzner_server_id?.[0]}
        />
        <div className="rounded-md bg-slate-50 p-3 text-sm text-slate-600">
          <p>Standard-Domains:</p>
          <p className="font-mono text-xs" data-testid="default-domains">
            {slug}.portal.{mspDomain} · {slug}.remote.{mspDomain}
          </p>
          {(errors.portal_domain || errors.meshcentral_domain) && (
            <p className="mt-1 text-red-700">{errors.portal_domain?.[0] ?? errors.meshcentral_domain?.[0]}</p>
          )}
        </div>
        <Button type="submit" busy={create.isPending}>
          Instanz anlegen
        </Button>
      </form>
    </Card>
    </>
  );
}
