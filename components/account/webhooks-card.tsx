"use client";

/**
 * Webhooks on the account page: register endpoints (URL, events), the secret
 * shown once, switch on/off, renew the secret, "Testereignis senden" and the
 * delivery log. Uses API v1 with the portal's session, like the API keys.
 * Customer admins manage their tenant's endpoints; MSP staff the MSP-wide ones.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Badge, EmptyState, LoadingBlock } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { apiFetch, ApiError } from "@/lib/client/api";
import { formatDateTime } from "@/lib/client/format";
import type { WebhookEndpointView, listWebhookDeliveries } from "@/lib/webhooks/endpoints";
import { WEBHOOK_EVENT_LABELS, type WebhookEventType } from "@/lib/events/catalog";

type Deliveries = Awaited<ReturnType<typeof listWebhookDeliveries>>;
const EVENTS = Object.keys(WEBHOOK_EVENT_LABELS) as WebhookEventType[];
const STATUS_LABELS = { queued: "Wartet", sending: "Wird gesendet", delivered: "Zugestellt", failed: "Fehlgeschlagen" } as const;
const KEY = ["v1", "webhooks"];

export function WebhooksCard({ staff }: { staff: boolean }) {
  const toast = useToast();
  const client = useQueryClient();
  const endpoints = useQuery({ queryKey: KEY, queryFn: () => apiFetch<{ endpoints: WebhookEndpointView[] }>("/api/v1/webhooks") });
  const [form, setForm] = useState<{ url: string; events: WebhookEventType[] }>({ url: "", events: ["invoice.issued", "invoice.paid"] });
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpointView | null>(null);
  const [logOf, setLogOf] = useState<string | null>(null);
  const refresh = () => void client.invalidateQueries({ queryKey: KEY });
  const fail = (error: unknown) => toast("error", error instanceof ApiError ? error.message : "Das hat nicht geklappt.");

  const create = useMutation({
    mutationFn: () => apiFetch<{ endpoint: WebhookEndpointView; secret: string }>("/api/v1/webhooks", { method: "POST", body: form }),
    onSuccess: (data) => {
      setSecret({ url: data.endpoint.url, secret: data.secret });
      setForm({ url: "", events: ["invoice.issued", "invoice.paid"] });
      refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (e: WebhookEndpointView) => apiFetch(`/api/v1/webhooks/${e.id}`, { method: "PATCH", body: { enabled: !e.enabled } }),
    onSuccess: refresh,
    onError: fail,
  });
  const rotate = useMutation({
    mutationFn: (e: WebhookEndpointView) => apiFetch<{ endpoint: WebhookEndpointView; secret: string }>(`/api/v1/webhooks/${e.id}/rotate-secret`, { method: "POST", body: {} }),
    onSuccess: (data) => {
      setSecret({ url: data.endpoint.url, secret: data.secret });
      refresh();
    },
    onError: fail,
  });
  const sendTest = useMutation({
    mutationFn: (e: WebhookEndpointView) => apiFetch<{ message: string }>(`/api/v1/webhooks/${e.id}/test`, { method: "POST" }),
    onSuccess: (data, e) => {
      toast("success", data.message);
      setLogOf(e.id);
      void client.invalidateQueries({ queryKey: [...KEY, e.id, "deliveries"] });
    },
    onError: fail,
  });
  const remove = useMutation({
    mutationFn: (e: WebhookEndpointView) => apiFetch<{ message: string }>(`/api/v1/webhooks/${e.id}`, { method: "DELETE" }),
    onSuccess: (data) => {
      toast("success", data.message);
      setDeleting(null);
      refresh();
    },
    onError: (error) => {
      setDeleting(null);
      fail(error);
    },
  });
  const error = create.error instanceof ApiError ? create.error : null;

  return (
    <div className="space-y-5">
      <p className="text-sm text-slate-600">
        Das Portal meldet Ereignisse an Ihre Server: ein signierter POST (Standard Webhooks: <code>webhook-id</code>, <code>webhook-timestamp</code>,{" "}
        <code>webhook-signature</code>). {staff ? "Als MSP-Mitarbeiter erhalten Sie hier die Ereignisse aller Instanzen." : "Sie erhalten die Ereignisse Ihrer Instanz."}{" "}
        Fehlgeschlagene Zustellungen werden 24 Stunden lang wiederholt; danach wird der Endpunkt deaktiviert und Sie erhalten eine E-Mail.
      </p>

      {secret && (
        <Alert kind="warning" title="Signatur-Secret – jetzt kopieren">
          <p className="mb-2">Das Secret für {secret.url} wird nur dieses eine Mal angezeigt. Ihr Server prüft damit die Signatur jeder Zustellung.</p>
          <code data-testid="new-webhook-secret" className="block break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900">
            {secret.secret}
          </code>
          <Button type="button" variant="ghost" className="mt-2" onClick={() => setSecret(null)}>
            Ich habe das Secret gespeichert
          </Button>
        </Alert>
      )}

      <form
        noValidate
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Field label="URL des Empfängers" value={form.url} placeholder="https://erp.firma.de/hooks/portal" onChange={(e) => setForm((f) => ({ ...f, url: e.target.value }))} error={error?.fieldErrors.url?.[0]} />
        <fieldset>
          <legend className="mb-1 text-sm font-medium text-slate-700">Ereignisse</legend>
          <div className="grid gap-1 sm:grid-cols-2">
            {EVENTS.map((type) => (
              <label key={type} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={form.events.includes(type)}
                  onChange={(e) => setForm((f) => ({ ...f, events: e.target.checked ? [...f.events, type] : f.events.filter((t) => t !== type) }))}
                />
                {WEBHOOK_EVENT_LABELS[type]} <code className="text-xs text-slate-500">{type}</code>
              </label>
            ))}
          </div>
          {error?.fieldErrors.events?.[0] && <p className="mt-1 text-sm text-red-700">{error.fieldErrors.events[0]}</p>}
        </fieldset>
        <Button type="submit" busy={create.isPending}>
          Endpunkt anlegen
        </Button>
      </form>
      {error && Object.keys(error.fieldErrors).length === 0 && <Alert kind="error">{error.message}</Alert>}

      {endpoints.isPending ? (
        <LoadingBlock />
      ) : endpoints.isError ? (
        <Alert kind="error">Die Webhook-Endpunkte konnten nicht geladen werden.</Alert>
      ) : endpoints.data.endpoints.length === 0 ? (
        <EmptyState title="Noch keine Webhook-Endpunkte">Legen Sie oben einen Endpunkt an.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200" aria-label="Webhook-Endpunkte">
          {endpoints.data.endpoints.map((e) => (
            <li key={e.id} className="space-y-2 p-3 text-sm">
              <p className="flex flex-wrap items-center gap-2 font-medium">
                <span className="break-all">{e.url}</span>
                {e.enabled ? <Badge tone="green">Aktiv</Badge> : <Badge tone="red">{e.disabled_reason === "failing" ? "Automatisch deaktiviert" : "Deaktiviert"}</Badge>}
              </p>
              <p className="text-slate-500">
                {e.events.map((t) => WEBHOOK_EVENT_LABELS[t]).join(", ")} · angelegt {formatDateTime(e.created_at)}
                {e.previous_secret_expires_at && <> · altes Secret gültig bis {formatDateTime(e.previous_secret_expires_at)}</>}
                {e.failing_since && <> · Zustellung scheitert seit {formatDateTime(e.failing_since)}</>}
              </p>
              <div className="flex flex-wrap gap-2">
                <Button variant="secondary" busy={sendTest.isPending && sendTest.variables?.id === e.id} onClick={() => sendTest.mutate(e)}>
                  Testereignis senden
                </Button>
                <Button variant="secondary" onClick={() => setLogOf(logOf === e.id ? null : e.id)}>
                  {logOf === e.id ? "Protokoll ausblenden" : "Zustellprotokoll"}
                </Button>
                <Button variant="secondary" onClick={() => toggle.mutate(e)}>
                  {e.enabled ? "Deaktivieren" : "Aktivieren"}
                </Button>
                <Button variant="secondary" onClick={() => rotate.mutate(e)}>
                  Secret erneuern
                </Button>
                <Button variant="secondary" onClick={() => setDeleting(e)} aria-label={`Endpunkt ${e.url} löschen`}>
                  Löschen
                </Button>
              </div>
              {logOf === e.id && <DeliveryLog endpointId={e.id} />}
            </li>
          ))}
        </ul>
      )}

      <ConfirmDialog
        open={deleting !== null}
        title="Webhook-Endpunkt löschen?"
        confirmLabel="Löschen"
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && remove.mutate(deleting)}
      >
        {deleting?.url} erhält danach keine Ereignisse mehr; offene Zustellungen entfallen.
      </ConfirmDialog>
    </div>
  );
}

function DeliveryLog({ endpointId }: { endpointId: string }) {
  const log = useQuery({
    queryKey: [...KEY, endpointId, "deliveries"],
    queryFn: () => apiFetch<Deliveries>(`/api/v1/webhooks/${endpointId}/deliveries`),
    refetchInterval: 5000,
  });
  if (log.isPending) return <LoadingBlock />;
  if (log.isError) return <Alert kind="error">Das Zustellprotokoll konnte nicht geladen werden.</Alert>;
  if (log.data.deliveries.length === 0) return <p className="text-slate-500">Noch keine Zustellungen.</p>;
  return (
    <table className="w-full text-left text-xs" aria-label="Zustellprotokoll">
      <thead>
        <tr className="text-slate-500">
          <th className="py-1">Zeit</th>
          <th>Ereignis</th>
          <th>Status</th>
          <th>Versuche</th>
          <th>HTTP</th>
          <th>Dauer</th>
        </tr>
      </thead>
      <tbody>
        {log.data.deliveries.map((d) => (
          <tr key={d.id} className="border-t border-slate-100" title={d.last_error ?? undefined}>
            <td className="py-1">{formatDateTime(d.created_at)}</td>
            <td>
              <code>{d.event_type}</code>
            </td>
            <td>{STATUS_LABELS[d.status]}</td>
            <td>{d.attempts}</td>
            <td>{d.last_status_code ?? "–"}</td>
            <td>{d.last_duration_ms === null ? "–" : `${d.last_duration_ms} ms`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
