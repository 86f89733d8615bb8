"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Badge, LoadingBlock } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { apiFetch, ApiError } from "@/lib/client/api";
import { RecoveryCodesView } from "./recovery-codes-view";
import type { TotpSetup, TwoFactorStatus as Status } from "./types";
import { PasswordConfirmation } from "./password-confirmation";

/** Authenticator app: QR code, switched on by a first correct code; recovery codes shown once. */
export function AuthenticatorCard() {
  const toast = useToast();
  const client = useQueryClient();
  const status = useQuery({ queryKey: ["v1", "2fa"], queryFn: () => apiFetch<Status>("/api/v1/auth/2fa") });
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [code, setCode] = useState("");
  const [codes, setCodes] = useState<string[] | null>(null);
  const [password, setPassword] = useState("");
  const [action, setAction] = useState<"setup" | "disable" | "regenerate" | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ["v1", "2fa"] });

  const confirm = useMutation({
    mutationFn: () => apiFetch<{ message: string; recovery_codes: string[] }>("/api/v1/auth/2fa/totp", { method: "PUT", body: { code: code.replace(/\s+/g, "") } }),
    onSuccess: (data) => {
      setSetup(null);
      setCode("");
      setCodes(data.recovery_codes);
      toast("success", data.message);
      void refresh();
    },
  });
  const withPassword = useMutation({
    mutationFn: (kind: "setup" | "disable" | "regenerate"): Promise<{ message?: string; recovery_codes?: string[]; setup?: TotpSetup }> =>
      kind === "setup"
        ? apiFetch<TotpSetup>("/api/v1/auth/2fa/totp", { method: "POST", body: { password } }).then((setup) => ({ setup }))
        : kind === "disable"
          ? apiFetch("/api/v1/auth/2fa/totp", { method: "DELETE", body: { password } })
          : apiFetch("/api/v1/auth/2fa/recovery-codes", { method: "POST", body: { password } }),
    onSuccess: (data) => {
      setPassword("");
      setAction(null);
      if (data.setup) setSetup(data.setup);
      if (data.recovery_codes) setCodes(data.recovery_codes);
      if (data.message) toast("success", data.message);
      void refresh();
    },
  });
  const confirmError = confirm.error instanceof ApiError ? confirm.error : null;
  const passwordError = withPassword.error instanceof ApiError ? withPassword.error : null;

  if (status.isPending) return <LoadingBlock />;
  if (status.isError) return <Alert kind="error">Der Status konnte nicht geladen werden.</Alert>;
  const on = status.data.totp_enabled;

  if (codes) return <RecoveryCodesView codes={codes} onDone={() => setCodes(null)} />;

  return (
    <div className="space-y-4">
      <p className="flex flex-wrap items-center gap-2 text-sm">
        Status: {on ? <Badge tone="green">App aktiv</Badge> : <Badge tone="slate">App aus</Badge>}
        {(on || status.data.passkeys > 0) && <span className="text-slate-500">· {status.data.recovery_codes_remaining} Wiederherstellungscodes übrig</span>}
      </p>
      {!on && !setup && action !== "setup" && (
        <>
          <p className="text-sm text-slate-600">
            Mit einer Authenticator-App (z. B. Google Authenticator, Microsoft Authenticator, 1Password) fragen wir bei jeder Anmeldung einen 6-stelligen
            Code ab – ohne E-Mail.
          </p>
          <Button onClick={() => setAction("setup")}>
            Authenticator-App einrichten
          </Button>
        </>
      )}
      {setup && (
        <form
          noValidate
          className="max-w-md space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            confirm.mutate();
          }}
        >
          <p className="text-sm text-slate-600">1. Scannen Sie den QR-Code mit Ihrer App (oder geben Sie den Schlüssel von Hand ein).</p>
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL, nothing to optimise */}
          <img src={setup.qr_code} alt="QR-Code für die Authenticator-App" width={220} height={220} className="rounded border border-slate-200" />
          <p className="text-sm">
            Schlüssel: <code className="break-all rounded bg-slate-100 px-1" data-testid="totp-secret">{setup.secret}</code>
          </p>
          <p className="text-sm text-slate-600">2. Geben Sie den Code ein, den die App jetzt anzeigt. Erst dann ist die App aktiv.</p>
          {confirmError && Object.keys(confirmError.fieldErrors).length === 0 && <Alert kind="error">{confirmError.message}</Alert>}
          <Field
            label="Code aus der App"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={8}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            error={confirmError?.fieldErrors.code?.[0]}
          />
          <div className="flex flex-col gap-2 sm:flex-row">
            <Button type="submit" busy={confirm.isPending}>
              App aktivieren
            </Button>
            <Button type="button" variant="secondary" onClick={() => setSetup(null)}>
              Abbrechen
            </Button>
          </div>
        </form>
      )}
      {(on || status.data.passkeys > 0) && !action && (
        <div className="flex flex-col gap-2 sm:flex-row">
          <Button variant="secondary" onClick={() => setAction("regenerate")}>
            Neue Wiederherstellungscodes
          </Button>
          {on && (
            <Button variant="secondary" onClick={() => setAction("disable")}>
              Authenticator-App deaktivieren
            </Button>
          )}
        </div>
      )}
      {action && (
        <form
          noValidate
          className="max-w-md space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            withPassword.mutate(action);
          }}
        >
          <PasswordConfirmation value={password} onChange={setPassword} error={passwordError} />
          <div className="flex flex-col gap-2 sm:flex-row">
            <Button type="submit" variant={action === "disable" ? "danger" : "primary"} busy={withPassword.isPending}>
              {action === "disable" ? "App deaktivieren" : action === "setup" ? "Weiter zum QR-Code" : "Codes neu erzeugen"}
            </Button>
            <Button
              type="button"
              variant="secondary"
              onClick={() => {
                setAction(null);
                setPassword("");
                withPassword.reset();
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
