"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Badge, LoadingBlock } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { apiFetch, ApiError } from "@/lib/client/api";
import { formatDateTime } from "@/lib/client/format";
import type { EmailConfirmationStarted, TwoFactorStatus as Status } from "./types";
import { PasswordConfirmation } from "./password-confirmation";

const CONFIRMATION_URL = "/api/v1/auth/2fa/email/confirmation";
type Pending = { sent_to: string; expires_at: string; expired: boolean };

/**
 * E-mail 2FA. Switching on is confirmed by a test code: password → a
 * 6-digit code is mailed → the right code switches it on (resend and cancel
 * possible; an open confirmation survives a reload). Switching off: password.
 */
export function TwoFactorCard() {
  const toast = useToast();
  const client = useQueryClient();
  const status = useQuery({ queryKey: ["v1", "2fa"], queryFn: () => apiFetch<Status>("/api/v1/auth/2fa") });
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [step, setStep] = useState<"idle" | "password">("idle");
  const [sent, setSent] = useState<Pending | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ["v1", "2fa"] });

  const onCodeSent = (data: EmailConfirmationStarted) => {
    setPassword("");
    setCode("");
    setStep("idle");
    setSent({ sent_to: data.sent_to, expires_at: data.expires_at, expired: false });
    confirm.reset();
    void refresh();
  };
  const start = useMutation({
    mutationFn: () => apiFetch<EmailConfirmationStarted>(CONFIRMATION_URL, { method: "POST", body: { password } }),
    onSuccess: onCodeSent,
  });
  const resend = useMutation({
    mutationFn: () => apiFetch<EmailConfirmationStarted>(`${CONFIRMATION_URL}/resend`, { method: "POST" }),
    onSuccess: (data) => {
      onCodeSent(data);
      toast("success", `Neuer Code an ${data.sent_to} gesendet. Nur der neueste Code gilt.`);
    },
  });
  const confirm = useMutation({
    mutationFn: () => apiFetch<{ message: string }>(CONFIRMATION_URL, { method: "PUT", body: { code: code.replace(/\s+/g, "") } }),
    onSuccess: (data) => {
      setSent(null);
      setCode("");
      client.setQueryData(["v1", "2fa"], (old: Status | undefined) => (old ? { ...old, two_factor_enabled: true, email_confirmation: null } : old));
      toast("success", data.message);
      void refresh();
    },
  });
  const cancel = useMutation({
    mutationFn: () => apiFetch<{ message: string }>(CONFIRMATION_URL, { method: "DELETE" }),
    onSuccess: (data) => {
      setSent(null);
      setCode("");
      confirm.reset();
      resend.reset();
      client.setQueryData(["v1", "2fa"], (old: Status | undefined) => (old ? { ...old, email_confirmation: null } : old));
      toast("success", data.message);
      void refresh();
    },
  });
  const disable = useMutation({
    mutationFn: () => apiFetch<{ message: string }>("/api/v1/auth/2fa", { method: "PUT", body: { enabled: false, password } }),
    onSuccess: (data) => {
      setPassword("");
      setStep("idle");
      client.setQueryData(["v1", "2fa"], (old: Status | undefined) => (old ? { ...old, two_factor_enabled: false } : old));
      toast("success", data.message);
      void refresh();
    },
  });

  if (status.isPending) return <LoadingBlock />;
  if (status.isError) return <Alert kind="error">Der Status der Zwei-Faktor-Anmeldung konnte nicht geladen werden.</Alert>;
  const enabled = status.data.two_factor_enabled;
  const pending: Pending | null = enabled ? null : (sent ?? status.data.email_confirmation);
  const passwordMutation = enabled ? disable : start;
  const passwordError = passwordMutation.error instanceof ApiError ? passwordMutation.error : null;
  const confirmError = confirm.error instanceof ApiError ? confirm.error : null;
  const expired = pending ? pending.expired || Date.parse(pending.expires_at) <= Date.now() : false;
  const codeFieldError = confirmError?.fieldErrors.code?.[0];
  const generalError = (confirmError && !codeFieldError ? confirmError.message : null) ?? resend.error?.message ?? cancel.error?.message ?? null;

  return (
    <div className="space-y-4">
      <p className="flex flex-wrap items-center gap-2 text-sm">
        Status: {enabled ? <Badge tone="green">Aktiv</Badge> : pending ? <Badge tone="amber">Wartet auf Bestätigung</Badge> : <Badge tone="slate">Aus</Badge>}
      </p>
      <p className="text-sm text-slate-600">
        {enabled
          ? `Bei jeder Anmeldung (Portal und API v1) senden wir einen 8-stelligen Code an ${status.data.email}.`
          : "Schützen Sie Ihr Konto zusätzlich: Bei jeder Anmeldung fragen wir einen Code ab, den wir Ihnen per E-Mail schicken. Vor dem Einschalten prüfen wir mit einem Testcode, dass unsere E-Mails bei Ihnen ankommen."}
      </p>

      {pending && (
        <form
          noValidate
          className="max-w-md space-y-3"
          aria-label="E-Mail-Bestätigung"
          onSubmit={(e) => {
            e.preventDefault();
            confirm.mutate();
          }}
        >
          {expired ? (
            <Alert kind="warning" title="Code abgelaufen">
              Der Code an {pending.sent_to} ist abgelaufen. Fordern Sie einen neuen Code an.
            </Alert>
          ) : (
            <Alert kind="info" title="Code gesendet">
              Wir haben einen Code an {pending.sent_to} gesendet. Geben Sie ihn hier ein, um die Zwei-Faktor-Anmeldung per E-Mail einzuschalten. Der Code
              ist bis {formatDateTime(pending.expires_at)} Uhr gültig.
            </Alert>
          )}
          {generalError && <Alert kind="error">{generalError}</Alert>}
          <Field
            label="Code aus der E-Mail"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            error={codeFieldError}
            hint="6 Ziffern. Keine E-Mail erhalten? Prüfen Sie den Spam-Ordner oder fordern Sie einen neuen Code an."
          />
          <div className="flex flex-col gap-2 sm:flex-row">
            <Button type="submit" busy={confirm.isPending}>
              Code bestätigen
            </Button>
            <Button type="button" variant="secondary" busy={resend.isPending} onClick={() => resend.mutate()}>
              Code erneut senden
            </Button>
            <Button type="button" variant="ghost" busy={cancel.isPending} onClick={() => cancel.mutate()}>
              Abbrechen
            </Button>
          </div>
        </form>
      )}

      {!pending && step === "idle" && (
        <Button variant={enabled ? "secondary" : "primary"} onClick={() => setStep("password")}>
          {enabled ? "Zwei-Faktor-Anmeldung deaktivieren" : "E-Mail-Bestätigung einschalten"}
        </Button>
      )}

      {!pending && step === "password" && (
        <form
          noValidate
          className="max-w-md space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            passwordMutation.mutate();
          }}
        >
          {!enabled && <p className="text-sm text-slate-600">Wir senden Ihnen danach einen 6-stelligen Code an {status.data.email}.</p>}
          <PasswordConfirmation value={password} onChange={setPassword} error={passwordError} />
          <div className="flex flex-col gap-2 sm:flex-row">
            <Button type="submit" variant={enabled ? "danger" : "primary"} busy={passwordMutation.isPending}>
              {enabled ? "Deaktivieren bestätigen" : "Code senden"}
            </Button>
            <Button
              type="button"
              variant="secondary"
              onClick={() => {
                setStep("idle");
                setPassword("");
                passwordMutation.reset();
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
