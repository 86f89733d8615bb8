"use client";

import { startRegistration } from "@simplewebauthn/browser";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, EmptyState, LoadingBlock } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { apiFetch, ApiError } from "@/lib/client/api";
import { formatDateTime } from "@/lib/client/format";
import { RecoveryCodesView } from "./recovery-codes-view";
import type { Passkey } from "./types";

/** Passkeys: add (WebAuthn registration), list, remove with confirmation. */
export function PasskeysCard() {
  const toast = useToast();
  const client = useQueryClient();
  const list = useQuery({ queryKey: ["v1", "passkeys"], queryFn: () => apiFetch<{ passkeys: Passkey[] }>("/api/v1/auth/passkeys") });
  const [name, setName] = useState("");
  const [codes, setCodes] = useState<string[] | null>(null);
  const [removing, setRemoving] = useState<Passkey | null>(null);
  const refresh = () => Promise.all([client.invalidateQueries({ queryKey: ["v1", "passkeys"] }), client.invalidateQueries({ queryKey: ["v1", "2fa"] })]);

  const add = useMutation({
    mutationFn: async () => {
      const { challenge_id, options } = await apiFetch<{ challenge_id: string; options: Parameters<typeof startRegistration>[0]["optionsJSON"] }>(
        "/api/v1/auth/passkeys/options",
        { method: "POST" },
      );
      const response = await startRegistration({ optionsJSON: options });
      return apiFetch<{ message: string; recovery_codes: string[] | null }>("/api/v1/auth/passkeys", { method: "POST", body: { challenge_id, name, response } });
    },
    onSuccess: (data) => {
      setName("");
      toast("success", data.message);
      if (data.recovery_codes) setCodes(data.recovery_codes);
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => apiFetch<{ message: string }>(`/api/v1/auth/passkeys/${id}`, { method: "DELETE" }),
    onSuccess: (data) => {
      setRemoving(null);
      toast("success", data.message);
      void refresh();
    },
    onError: (error) => {
      setRemoving(null);
      toast("error", error instanceof ApiError ? error.message : "Entfernen fehlgeschlagen.");
    },
  });
  const addError =
    add.error instanceof ApiError
      ? add.error.message
      : add.error instanceof Error
        ? add.error.name === "NotAllowedError"
          ? "Die Registrierung wurde abgebrochen."
          : add.error.name === "InvalidStateError"
            ? // The authenticator already holds a passkey of this account (excludeCredentials).
              "Auf diesem Gerät ist bereits ein Passkey für Ihr Konto registriert."
            : "Der Passkey konnte nicht angelegt werden."
        : null;

  if (codes) return <RecoveryCodesView codes={codes} onDone={() => setCodes(null)} />;

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        Mit einem Passkey melden Sie sich per Fingerabdruck, Gesichtserkennung oder Geräte-PIN an – ohne Passwort. Er bestätigt auch die
        Zwei-Faktor-Anmeldung.
      </p>
      {list.isPending ? (
        <LoadingBlock />
      ) : list.isError ? (
        <Alert kind="error">Die Passkeys konnten nicht geladen werden.</Alert>
      ) : list.data.passkeys.length === 0 ? (
        <EmptyState title="Noch kein Passkey" />
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200" aria-label="Passkeys">
          {list.data.passkeys.map((p) => (
            <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 p-3 text-sm">
              <span>
                <span className="font-medium">{p.name}</span>
                <span className="block text-slate-500">
                  angelegt {formatDateTime(p.created_at)} · {p.last_used_at ? `zuletzt benutzt ${formatDateTime(p.last_used_at)}` : "noch nicht benutzt"}
                </span>
              </span>
              <Button variant="secondary" onClick={() => setRemoving(p)}>
                Entfernen
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form
        noValidate
        className="flex max-w-md flex-col gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        {addError && <Alert kind="error">{addError}</Alert>}
        <Field
          label="Name des Passkeys"
          placeholder="z. B. Laptop"
          hint="Leer lassen: der Name des Geräts, z. B. „Chrome auf Linux“."
          maxLength={80}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <Button type="submit" busy={add.isPending}>
          Passkey hinzufügen
        </Button>
      </form>
      <ConfirmDialog
        open={removing !== null}
        title="Passkey entfernen?"
        confirmLabel="Entfernen"
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate(removing.id)}
      >
        Mit „{removing?.name}“ können Sie sich danach nicht mehr anmelden.
      </ConfirmDialog>
    </div>
  );
}
