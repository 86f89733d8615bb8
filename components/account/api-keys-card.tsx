"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Badge, EmptyState, LoadingBlock } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { apiFetch, ApiError } from "@/lib/client/api";
import { formatDateTime } from "@/lib/client/format";
import type { ApiKey } from "./types";

const SCOPE_LABELS = { read: "Nur lesen", read_write: "Lesen und schreiben" } as const;

export function ApiKeysCard() {
  const toast = useToast();
  const client = useQueryClient();
  const keys = useQuery({ queryKey: ["v1", "api-keys"], queryFn: () => apiFetch<{ api_keys: ApiKey[] }>("/api/v1/auth/api-keys") });
  const [form, setForm] = useState({ name: "", scope: "read" as ApiKey["scope"], expires: "" });
  const [created, setCreated] = useState<(ApiKey & { token: string }) | null>(null);
  const [copied, setCopied] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const create = useMutation({
    mutationFn: () =>
      apiFetch<ApiKey & { token: string }>("/api/v1/auth/api-keys", {
        method: "POST",
        body: { name: form.name, scope: form.scope, expires_at: form.expires ? new Date(`${form.expires}T23:59:59`).toISOString() : null },
      }),
    onSuccess: (data) => {
      setCreated(data);
      setCopied(false);
      setForm({ name: "", scope: "read", expires: "" });
      void client.invalidateQueries({ queryKey: ["v1", "api-keys"] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => apiFetch<{ message: string }>(`/api/v1/auth/api-keys/${id}`, { method: "DELETE" }),
    onSuccess: (data) => {
      toast("success", data.message);
      setRevoking(null);
      void client.invalidateQueries({ queryKey: ["v1", "api-keys"] });
    },
    onError: (error) => {
      setRevoking(null);
      toast("error", error instanceof ApiError ? error.message : "Der Schlüssel konnte nicht widerrufen werden.");
    },
  });
  const error = create.error instanceof ApiError ? create.error : null;

  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied(true);
    } catch {
      toast("error", "Kopieren nicht möglich – bitte den Token markieren und manuell kopieren.");
    }
  }

  return (
    <div className="space-y-5">
      <p className="text-sm text-slate-600">
        Mit einem persönlichen API-Schlüssel nutzen Skripte die <Link href="/api-referenz" className="text-brand-700 underline">API v1</Link> ohne
        Browser-Login – mit Ihren Berechtigungen und Ihrem Tenant. Senden Sie ihn als <code>Authorization: Bearer &lt;Schlüssel&gt;</code>.
      </p>

      {created && (
        <Alert kind="warning" title="Neuer API-Schlüssel – jetzt kopieren">
          <p className="mb-2">Der Schlüssel „{created.name}“ wird nur dieses eine Mal angezeigt. Speichern Sie ihn sicher, z. B. in einem Passwort-Manager.</p>
          <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
            <code data-testid="new-api-key" className="block break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900">
              {created.token}
            </code>
            <Button type="button" variant="secondary" onClick={copy}>
              {copied ? "Kopiert" : "Kopieren"}
            </Button>
          </div>
          <Button type="button" variant="ghost" className="mt-2" onClick={() => setCreated(null)}>
            Ich habe den Schlüssel gespeichert
          </Button>
        </Alert>
      )}

      <form
        noValidate
        className="grid gap-3 sm:grid-cols-[1fr_12rem_12rem_auto] sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Field label="Name des Schlüssels" value={form.name} placeholder="z. B. deploy-script" onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))} error={error?.fieldErrors.name?.[0]} />
        <div className="space-y-1">
          <label htmlFor="api-key-scope" className="block text-sm font-medium text-slate-700">
            Berechtigung
          </label>
          <select
            id="api-key-scope"
            value={form.scope}
            onChange={(e) => setForm((f) => ({ ...f, scope: e.target.value as ApiKey["scope"] }))}
            className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base sm:text-sm"
          >
            <option value="read">Nur lesen</option>
            <option value="read_write">Lesen und schreiben</option>
          </select>
        </div>
        <Field label="Läuft ab am (optional)" type="date" value={form.expires} onChange={(e) => setForm((f) => ({ ...f, expires: e.target.value }))} error={error?.fieldErrors.expires_at?.[0]} />
        <Button type="submit" busy={create.isPending}>
          Schlüssel erstellen
        </Button>
      </form>
      {error && Object.keys(error.fieldErrors).length === 0 && <Alert kind="error">{error.message}</Alert>}

      {keys.isPending ? (
        <LoadingBlock />
      ) : keys.isError ? (
        <Alert kind="error">Die API-Schlüssel konnten nicht geladen werden.</Alert>
      ) : keys.data.api_keys.length === 0 ? (
        <EmptyState title="Noch keine API-Schlüssel">Erstellen Sie oben einen Schlüssel für Ihre Skripte.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200" aria-label="API-Schlüssel">
          {keys.data.api_keys.map((key) => (
            <li key={key.id} className="flex flex-col gap-2 p-3 sm:flex-row sm:items-center sm:justify-between">
              <div className="min-w-0 text-sm">
                <p className="flex flex-wrap items-center gap-2 font-medium">
                  {key.name}
                  <Badge tone={key.scope === "read" ? "blue" : "amber"}>{SCOPE_LABELS[key.scope]}</Badge>
                  {key.status === "expired" && <Badge tone="red">Abgelaufen</Badge>}
                </p>
                <p className="text-slate-500">
                  <code>{key.prefix}…</code> · erstellt {formatDateTime(key.created_at)} · zuletzt benutzt{" "}
                  {key.last_used_at ? formatDateTime(key.last_used_at) : "noch nie"} · läuft ab {key.expires_at ? formatDateTime(key.expires_at) : "nie"}
                </p>
              </div>
              <Button variant="secondary" onClick={() => setRevoking(key)} aria-label={`Schlüssel ${key.name} widerrufen`}>
                Widerrufen
              </Button>
            </li>
          ))}
        </ul>
      )}

      <ConfirmDialog
        open={revoking !== null}
        title="API-Schlüssel widerrufen?"
        confirmLabel="Widerrufen"
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
      >
        Skripte, die den Schlüssel „{revoking?.name}“ verwenden, erhalten danach sofort den Fehler 401. Das lässt sich nicht rückgängig machen.
      </ConfirmDialog>
    </div>
  );
}
