"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { Field } from "@/components/ui/field";

const TWO_FACTOR_PREFIX = "2FA_REQUIRED:";

export function LoginForm({ expired, reset }: { expired: boolean; reset: boolean }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
  const [busy, setBusy] = useState(false);
  // Second step for accounts with e-mail 2FA.
  const [challenge, setChallenge] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<string | undefined>();

  async function submitCode(event: React.FormEvent) {
    event.preventDefault();
    const trimmed = code.replace(/\s+/g, "");
    if (!/^\d{8}$/.test(trimmed)) {
      setCodeError("Bitte den 8-stelligen Code aus der E-Mail eingeben.");
      return;
    }
    setCodeError(undefined);
    setBusy(true);
    setError(null);
    const result = await signIn("credentials", { challenge_token: challenge, code: trimmed, redirect: false });
    if (result?.ok && !result.error) {
      window.location.href = "/";
      return;
    }
    setBusy(false);
    setCode("");
    const message = result?.error && result.error !== "CredentialsSignin" ? result.error : "Die Anmeldung ist fehlgeschlagen.";
    setError(message);
    // Expired, used or locked challenge: back to the password step.
    if (/abgelaufen|ungültig|gesperrt/i.test(message)) setChallenge(null);
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const errors: typeof fieldErrors = {};
    if (!email.trim()) errors.email = "Bitte eine E-Mail-Adresse angeben.";
    if (!password) errors.password = "Bitte das Passwort angeben.";
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    setError(null);
    const result = await signIn("credentials", { email, password, redirect: false });
    if (result?.ok && !result.error) {
      window.location.href = "/";
      return;
    }
    setBusy(false);
    setPassword("");
    if (result?.error?.startsWith(TWO_FACTOR_PREFIX)) {
      setChallenge(result.error.slice(TWO_FACTOR_PREFIX.length));
      setCode("");
      return;
    }
    setError(result?.error && result.error !== "CredentialsSignin" ? result.error : "Die Anmeldung ist fehlgeschlagen.");
  }

  if (challenge) {
    return (
      <form onSubmit={submitCode} noValidate className="space-y-5">
        <h2 className="text-lg font-semibold">Anmeldecode eingeben</h2>
        <Alert kind="info">
          Für Ihr Konto ist die Zwei-Faktor-Anmeldung aktiv. Wir haben Ihnen einen 8-stelligen Code per E-Mail geschickt.
        </Alert>
        {error && <Alert kind="error">{error}</Alert>}
        <Field
          label="Code aus der E-Mail"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          autoFocus
          maxLength={12}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={codeError}
          hint="8 Ziffern, gültig für wenige Minuten."
        />
        <Button type="submit" busy={busy} className="w-full">
          Code bestätigen
        </Button>
        <p className="text-center text-sm">
          <button
            type="button"
            className="text-brand-700 underline-offset-2 hover:underline"
            onClick={() => {
              setChallenge(null);
              setError(null);
            }}
          >
            Zurück zur Anmeldung
          </button>
        </p>
      </form>
    );
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-5">
      <h2 className="text-lg font-semibold">Anmelden</h2>
      {expired && <Alert kind="info">Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.</Alert>}
      {reset && <Alert kind="success">Ihr Passwort wurde geändert. Bitte melden Sie sich mit dem neuen Passwort an.</Alert>}
      {error && <Alert kind="error">{error}</Alert>}
      <Field
        label="E-Mail-Adresse"
        type="email"
        name="email"
        autoComplete="username"
        autoFocus
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={fieldErrors.email}
      />
      <Field
        label="Passwort"
        type="password"
        name="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldErrors.password}
      />
      <Button type="submit" busy={busy} className="w-full">
        Anmelden
      </Button>
      <p className="text-center text-sm">
        <Link href="/passwort-vergessen" className="text-brand-700 underline-offset-2 hover:underline">
          Passwort vergessen?
        </Link>
      </p>
    </form>
  );
}
