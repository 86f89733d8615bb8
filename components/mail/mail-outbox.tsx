"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Badge, Card, EmptyState, LoadingBlock } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { useToast } from "@/components/ui/toast";
import { apiFetch } from "@/lib/client/api";
import { formatDateTime } from "@/lib/client/format";
import type { MailList, OutboxMail, ResendResult } from "./types";

const FILTERS = [
  { value: "", label: "Alle" },
  { value: "failed", label: "Fehlgeschlagen" },
  { value: "queued", label: "Wartend" },
  { value: "sent", label: "Gesendet" },
] as const;

const TONE = { failed: "red", queued: "amber", sending: "blue", sent: "green" } as const;

/** Staff: the mail outbox — failures with the provider's answer, and "Erneut senden". */
export function MailOutbox() {
  // The dashboard warning links here with ?status=failed.
  const initial = useSearchParams().get("status");
  const [status, setStatus] = useState<string>(FILTERS.some((f) => f.value === initial) ? initial! : "");
  const [page, setPage] = useState(1);
  const query = useQuery({
    queryKey: ["admin", "mails", status, page],
    queryFn: () => apiFetch<MailList>(`/api/manage/admin/mails?page=${page}${status ? `&status=${status}` : ""}`),
  });
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Mails</h1>
      <p className="text-sm text-slate-600">
        Jede Mail des Portals wird zuerst hier abgelegt und dann zugestellt; bei Störungen des Mailversands wird sie
        automatisch erneut versucht. Fehlgeschlagene Mails können Sie nach Behebung der Ursache erneut senden.
      </p>
      {query.data && query.data.failed_count > 0 && (
        <Alert kind="error">
          {query.data.failed_count === 1 ? "1 Mail konnte nicht zugestellt werden." : `${query.data.failed_count} Mails konnten nicht zugestellt werden.`}
        </Alert>
      )}
      <div role="group" aria-label="Status filtern" className="flex flex-wrap gap-2">
        {FILTERS.map((f) => (
          <Button
            key={f.value}
            variant={status === f.value ? "primary" : "secondary"}
            aria-pressed={status === f.value}
            onClick={() => {
              setStatus(f.value);
              setPage(1);
            }}
          >
            {f.label}
          </Button>
        ))}
      </div>
      {query.isPending && <LoadingBlock label="Mails werden geladen …" />}
      {query.isError && <Alert kind="error">{query.error.message}</Alert>}
      {query.data && query.data.mails.length === 0 && <EmptyState title="Keine Mails in dieser Ansicht" />}
      <div className="space-y-3">
        {query.data?.mails.map((mail) => <MailRow key={mail.id} mail={mail} />)}
      </div>
      {query.data && query.data.meta.last_page > 1 && <Pagination meta={query.data.meta} onPage={setPage} noun="Mails" />}
    </div>
  );
}

function MailRow({ mail }: { mail: OutboxMail }) {
  const client = useQueryClient();
  const toast = useToast();
  const resend = useMutation({
    mutationFn: () => apiFetch<ResendResult>(`/api/manage/admin/mails/${mail.id}/resend`, { method: "POST" }),
    onSuccess: (data) => {
      toast("success", data.message);
      void client.invalidateQueries({ queryKey: ["admin", "mails"] });
    },
    onError: (error) => toast("error", error.message),
  });
  return (
    <Card>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="font-medium break-words">{mail.subject}</p>
          <p className="text-sm text-slate-600">
            an {mail.to} · {formatDateTime(mail.created_at)} · {mail.attempts === 1 ? "1 Versuch" : `${mail.attempts} Versuche`}
          </p>
          {mail.last_error && <p className="mt-1 text-sm text-red-700">Letzter Fehler: {mail.last_error}</p>}
          {mail.next_attempt_at && mail.attempts > 0 && <p className="mt-1 text-sm text-slate-600">Nächster Versuch: {formatDateTime(mail.next_attempt_at)}</p>}
        </div>
        <div className="flex items-center gap-2">
          <Badge tone={TONE[mail.status]}>{mail.status_label}</Badge>
          {mail.status === "failed" && (
            <Button variant="secondary" busy={resend.isPending} onClick={() => resend.mutate()}>
              Erneut senden
            </Button>
          )}
        </div>
      </div>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-slate-600">Inhalt anzeigen</summary>
        <pre className="mt-2 whitespace-pre-wrap break-words rounded bg-slate-50 p-3 text-xs">{mail.text}</pre>
      </details>
    </Card>
  );
}
