"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Badge, EmptyState, LoadingBlock } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { apiFetch, ApiError } from "@/lib/client/api";
import { formatDateTime } from "@/lib/client/format";
import type { Session } from "./types";

export function SessionsCard() {
  const toast = useToast();
  const [confirm, setConfirm] = useState(false);
  const client = useQueryClient();
  const [ending, setEnding] = useState<Session | null>(null);
  const endOne = useMutation({
    mutationFn: (s: Session) => apiFetch<{ message: string; current: boolean }>(`/api/v1/auth/sessions/${s.id}`, { method: "DELETE" }),
    onSuccess: (data) => {
      setEnding(null);
      if (data.current) return void signOut({ callbackUrl: "/login" });
      toast("success", data.message);
      void client.invalidateQueries({ queryKey: ["v1", "sessions"] });
    },
    onError: (error) => {
      setEnding(null);
      toast("error", error instanceof ApiError ? error.message : "Beenden fehlgeschlagen.");
    },
  });
  const sessions = useQuery({ queryKey: ["v1", "sessions"], queryFn: () => apiFetch<{ sessions: Session[] }>("/api/v1/auth/sessions") });
  const everywhere = useMutation({
    mutationFn: () => apiFetch<{ message: string }>("/api/v1/auth/sessions", { method: "DELETE" }),
    onSuccess: () => {
      void signOut({ callbackUrl: "/login" });
    },
    onError: (error) => {
      setConfirm(false);
      toast("error", error instanceof ApiError ? error.message : "Abmelden fehlgeschlagen.");
    },
  });

  return (
    <div className="space-y-4">
      {sessions.isPending ? (
        <LoadingBlock />
      ) : sessions.isError ? (
        <Alert kind="error">Die Sitzungen konnten nicht geladen werden.</Alert>
      ) : sessions.data.sessions.length === 0 ? (
        <EmptyState title="Keine aktiven Sitzungen" />
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200" aria-label="Aktive Sitzungen">
          {sessions.data.sessions.map((s) => (
            <li key={`${s.kind}-${s.id}`} className="flex flex-wrap items-start justify-between gap-2 p-3 text-sm">
              <div className="min-w-0">
                <p className="flex flex-wrap items-center gap-2">
                  <span>
                    <span className="font-medium">{s.device}</span>
                    {s.approximate_location && <span> · {s.approximate_location} (ungefähr)</span>}
                    <span> · zuletzt aktiv {formatDateTime(s.last_used_at)}</span>
                  </span>
                  {s.current && <Badge tone="green">Diese Sitzung</Badge>}
                </p>
                <p className="break-words text-slate-500" title={s.user_agent ?? undefined}>
                  {s.kind_label} · {s.ip ?? "unbekannte IP"} · angemeldet {formatDateTime(s.created_at)}
                </p>
              </div>
              <Button variant="secondary" onClick={() => setEnding(s)} busy={endOne.isPending && endOne.variables?.id === s.id}>
                Beenden
              </Button>
            </li>
          ))}
        </ul>
      )}
      <Button variant="danger" onClick={() => setConfirm(true)} busy={everywhere.isPending}>
        Überall abmelden
      </Button>
      <ConfirmDialog
        open={ending !== null}
        title="Sitzung beenden?"
        confirmLabel="Beenden"
        onCancel={() => setEnding(null)}
        onConfirm={() => ending && endOne.mutate(ending)}
      >
        {ending?.current ? "Das ist Ihre aktuelle Sitzung – Sie werden abgemeldet." : `„${ending?.device}“ wird sofort abgemeldet.`}
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm}
        title="Überall abmelden?"
        confirmLabel="Überall abmelden"
        onCancel={() => setConfirm(false)}
        onConfirm={() => everywhere.mutate()}
      >
        Alle Sitzungen – auch diese hier und alle API-v1-Tokens – werden sofort beendet. API-Schlüssel bleiben gültig; widerrufen Sie sie bei Bedarf einzeln.
      </ConfirmDialog>
    </div>
  );
}
