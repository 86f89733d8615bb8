"use client";

import { useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { ApiError, apiFetch, setReauthenticationHandler } from "@/lib/client/api";

/**
 * The password dialog of re-authentication ("sudo mode"): a sensitive change
 * answered with `reauthentication_required` opens it; the confirmed password
 * keeps the session in sudo mode for 10 minutes and the change is sent again.
 * Cancelling leaves the change undone with its message.
 */
export function ReauthenticationDialog() {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const pending = useRef<((confirmed: boolean) => void) | null>(null);

  useEffect(
    () =>
      setReauthenticationHandler(
        () =>
          new Promise<boolean>((resolve) => {
            pending.current?.(false);
            pending.current = resolve;
            setPassword("");
            setError(null);
            setOpen(true);
          }),
      ),
    [],
  );

  const finish = (confirmed: boolean) => {
    pending.current?.(confirmed);
    pending.current = null;
    setOpen(false);
    setPassword("");
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await apiFetch("/api/v1/auth/reauthenticate", { method: "POST", body: { password } });
      finish(true);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, "Die Bestätigung ist fehlgeschlagen. Bitte erneut versuchen."));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      open={open}
      title="Passwort bestätigen"
      confirmLabel={busy ? "Wird geprüft …" : "Bestätigen und fortfahren"}
      danger={false}
      confirmDisabled={busy || password.length === 0}
      onConfirm={confirm}
      onCancel={() => finish(false)}
    >
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy && password.length > 0) void confirm();
        }}
      >
        <p>Zum Schutz Ihres Kontos bestätigen Sie diese Änderung bitte mit Ihrem Passwort. Danach sind Änderungen an der Sicherheit 10 Minuten lang ohne erneute Abfrage möglich.</p>
        {error && Object.keys(error.fieldErrors).length === 0 && <Alert kind="error">{error.message}</Alert>}
        <Field
          label="Passwort"
          type="password"
          autoComplete="current-password"
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={error?.fieldErrors.password?.[0]}
        />
      </form>
    </ConfirmDialog>
  );
}
