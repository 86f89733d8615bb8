"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card, LoadingBlock } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { ApiError, apiFetch } from "@/lib/client/api";
import { formatDate, formatDateTime } from "@/lib/client/format";
import type { DunningState } from "./types";

/** Instance page (staff): pause or resume dunning with a note, and the last dunning steps. */
export function DunningPauseCard({ instanceId, canWrite }: { instanceId: number; canWrite: boolean }) {
  const client = useQueryClient();
  const toast = useToast();
  const [note, setNote] = useState("");
  const path = `/api/manage/admin/instances/${instanceId}/dunning-pause`;
  const query = useQuery({ queryKey: ["admin", "dunning", instanceId], queryFn: () => apiFetch<{ dunning: DunningState }>(path) });
  const toggle = useMutation({
    mutationFn: (pause: boolean) =>
      apiFetch<{ message: string }>(path, pause ? { method: "PUT", body: { note } } : { method: "DELETE" }),
    onSuccess: (data) => {
      toast("success", data.message);
      setNote("");
      void client.invalidateQueries({ queryKey: ["admin"] });
    },
  });
  const now = useMutation({
    mutationFn: () => apiFetch<{ message: string }>(`/api/manage/admin/instances/${instanceId}/dunning-now`, { method: "POST" }),
    onSuccess: (data) => {
      toast("success", data.message);
      void client.invalidateQueries({ queryKey: ["admin"] });
    },
  });
  const errors = toggle.error instanceof ApiError ? toggle.error.fieldErrors : {};
  const state = query.data?.dunning;
  return (
    <Card title="Mahnwesen">
      {query.isPending && <LoadingBlock label="Mahnstatus wird geladen …" />}
      {query.isError && <Alert kind="error">{query.error.message}</Alert>}
      {state && (
        <div className="space-y-3 text-sm" data-testid="dunning-pause">
          {state.paused ? (
            <Alert kind="warning" title="Mahnwesen pausiert">
              {state.note}
              {state.paused_by ? ` – ${state.paused_by}` : ""}, {formatDateTime(state.paused_at)}
            </Alert>
          ) : (
            <p className="text-slate-600">Zahlungserinnerungen, Mahnungen und die automatische Sperre sind aktiv.</p>
          )}
          <dl className="grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-[max-content_1fr]" data-testid="dunning-outlook">
            <dt className="font-medium text-slate-600">Mahnstufe</dt>
            <dd data-testid="dunning-stage">{state.current_stage_label}</dd>
            <dt className="font-medium text-slate-600">Nächster Schritt</dt>
            <dd data-testid="dunning-next">
              {state.next_step
                ? `${state.next_step.stage_label} am ${formatDate(state.next_step.date)} (${state.next_step.invoice_number})`
                : (state.next_step_blocked ?? "Keiner")}
            </dd>
          </dl>
          {state.overdue_invoices.length > 0 && (
            <ul className="space-y-0.5 text-slate-700" aria-label="Überfällige Rechnungen">
              {state.overdue_invoices.map((i) => (
                <li key={i.invoice_id}>
                  <a className="text-brand-700 underline" href={`/verwaltung/rechnungen/${i.invoice_id}`}>
                    {i.invoice_number}
                  </a>
                  : {i.open_amount_formatted}, seit {i.days_overdue} Tagen überfällig – {i.stage_label}
                </li>
              ))}
            </ul>
          )}
          {state.suspended_by_dunning && <p className="text-slate-600">Die aktuelle Sperre hat das Mahnwesen gesetzt; sie wird nach Zahlung automatisch aufgehoben.</p>}
          {state.notices.length > 0 && (
            <ul className="space-y-0.5 text-slate-700">
              {state.notices.map((n) => (
                <li key={`${n.invoice_number}-${n.stage}`}>
                  {formatDate(n.date)}: {n.stage_label} zu {n.invoice_number} ({n.open_amount_formatted}
                  {n.fee_formatted ? `, Gebühr ${n.fee_formatted}` : ""})
                </li>
              ))}
            </ul>
          )}
          {canWrite && state.overdue_invoices.length > 0 && !state.paused && (
            <div className="space-y-2">
              <Button type="button" variant="secondary" busy={now.isPending} onClick={() => now.mutate()}>
                Jetzt mahnen
              </Button>
              {now.isError && <Alert kind="error">{now.error.message}</Alert>}
            </div>
          )}
          {canWrite && (
            <form
              className="space-y-2"
              onSubmit={(e) => {
                e.preventDefault();
                toggle.mutate(!state.paused);
              }}
            >
              {!state.paused && <Field label="Notiz zur Pause" value={note} onChange={(e) => setNote(e.target.value)} error={errors.note?.[0]} />}
              {toggle.isError && !errors.note && <Alert kind="error">{toggle.error.message}</Alert>}
              <Button type="submit" variant="secondary" busy={toggle.isPending}>
                {state.paused ? "Mahnwesen fortsetzen" : "Mahnwesen pausieren"}
              </Button>
            </form>
          )}
        </div>
      )}
    </Card>
  );
}
