"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
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
            <li key={`${s.kind}-${s.id}`} className="p-3 text-sm">
              <p className="flex flex-wrap items-center gap-2 font-medium">
                {s.kind_label}
                {s.current && <Badge tone="green">Diese Sitzung</Badge>}
              </p>
              <p className="break-words text-slate-500">
                {s.ip ?? "unbekannte IP"} · {s.user_agent ? s.user_agent.slice(0, 80) : "unbekanntes Gerät"} · angemeldet {formatDateTime(s.created_at)} · zuletzt aktiv{" "}
                {formatDateTime(s.last_used_at)}
              </p>
            </li>
          ))}
        </ul>
      )}
      <Button variant="danger" onClick={() => setConfirm(true)} busy={everywhere.isPending}>
        Überall abmelden
      </Button>
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
