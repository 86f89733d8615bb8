"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Badge, LoadingBlock } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { apiFetch, ApiError } from "@/lib/client/api";
import type { TwoFactorStatus as Status } from "./types";
import { PasswordConfirmation } from "./password-confirmation";

/** Turn e-mail 2FA on or off; the password confirms the change. */
export function TwoFactorCard() {
  const toast = useToast();
  const client = useQueryClient();
  const status = useQuery({ queryKey: ["v1", "2fa"], queryFn: () => apiFetch<Status>("/api/v1/auth/2fa") });
  const [password, setPassword] = useState("");
  const [confirming, setConfirming] = useState(false);
  const mutation = useMutation({
    mutationFn: (enabled: boolean) => apiFetch<{ message: string; two_factor_enabled: boolean }>("/api/v1/auth/2fa", { method: "PUT", body: { enabled, password } }),
    onSuccess: (data) => {
      setPassword("");
      setConfirming(false);
      toast("success", data.message);
      client.setQueryData(["v1", "2fa"], (old: Status | undefined) => (old ? { ...old, two_factor_enabled: data.two_factor_enabled } : old));
      void client.invalidateQueries({ queryKey: ["v1", "2fa"] });
    },
  });
  const error = mutation.error instanceof ApiError ? mutation.error : null;

  if (status.isPending) return <LoadingBlock />;
  if (status.isError) return <Alert kind="error">Der Status der Zwei-Faktor-Anmeldung konnte nicht geladen werden.</Alert>;
  const enabled = status.data.two_factor_enabled;

  return (
    <div className="space-y-4">
      <p className="flex flex-wrap items-center gap-2 text-sm">
        Status: {enabled ? <Badge tone="green">Aktiv</Badge> : <Badge tone="slate">Aus</Badge>}
      </p>
      <p className="text-sm text-slate-600">
        {enabled
          ? `Bei jeder Anmeldung (Portal und API v1) senden wir einen 8-stelligen Code an ${status.data.email}.`
          : "Schützen Sie Ihr Konto zusätzlich: Bei jeder Anmeldung fragen wir einen Code ab, den wir Ihnen per E-Mail schicken."}
      </p>
      {!confirming ? (
        <Button variant={enabled ? "secondary" : "primary"} onClick={() => setConfirming(true)}>
          {enabled ? "Zwei-Faktor-Anmeldung deaktivieren" : "Zwei-Faktor-Anmeldung aktivieren"}
        </Button>
      ) : (
        <form
          noValidate
          className="max-w-md space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            mutation.mutate(!enabled);
          }}
        >
          <PasswordConfirmation value={password} onChange={setPassword} error={error} />
          <div className="flex flex-col gap-2 sm:flex-row">
            <Button type="submit" variant={enabled ? "danger" : "primary"} busy={mutation.isPending}>
              {enabled ? "Deaktivieren bestätigen" : "Aktivieren bestätigen"}
            </Button>
            <Button
              type="button"
              variant="secondary"
              onClick={() => {
                setConfirming(false);
                setPassword("");
                mutation.reset();
              }}
            >
              Abbrechen
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}
