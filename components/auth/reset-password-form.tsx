"use client";

import Link from "next/link";
import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { apiFetch, ApiError } from "@/lib/client/api";

const LINK_MESSAGES = {
  used: { reset: "Dieser Link wurde bereits verwendet. Fordern Sie bei Bedarf einen neuen an.", invite: "Diese Einladung wurde bereits angenommen. Bitte melden Sie sich an." },
  expired: { reset: "Dieser Link ist abgelaufen. Bitte fordern Sie einen neuen an.", invite: "Diese Einladung ist abgelaufen. Bitte bitten Sie Ihren Administrator um eine neue." },
  invalid: { reset: "Dieser Link ist ungültig. Bitte öffnen Sie den Link aus der E-Mail erneut oder fordern Sie einen neuen an.", invite: "Diese Einladung ist ungültig. Bitte öffnen Sie den Link aus der E-Mail erneut." },
} as const;

export function ResetPasswordForm({
  token,
  email,
  invitation = false,
  linkState = "valid",
}: {
  token: string;
  email: string;
  invitation?: boolean;
  linkState?: "valid" | "used" | "expired" | "invalid";
}) {
  const [activated, setActivated] = useState(false);
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const mutation = useMutation({
    mutationFn: () =>
      apiFetch<{ message: string }>("/api/manage/auth/reset-password", {
        method: "POST",
        body: { email, token, password, password_confirmation: confirmation },
      }),
    onSuccess: async () => {
      if (!invitation) {
        window.location.href = "/login?zurueckgesetzt=1";
        return;
      }
      // Invitation: the account is active; sign in with the new password right away.
      setActivated(true);
      const result = await signIn("credentials", { email, password, redirect: false });
      window.location.href = result?.ok && !result.error ? "/" : "/login";
    },
  });
  const error = mutation.error instanceof ApiError ? mutation.error : null;

  if (!token || !email) {
    return (
      <div className="space-y-4">
        <Alert kind="error">Dieser Link ist unvollständig. Bitte öffnen Sie den Link aus der E-Mail erneut oder fordern Sie einen neuen an.</Alert>
        <Link href="/passwort-vergessen" className="text-sm text-brand-700 hover:underline">
          Neuen Link anfordern
        </Link>
      </div>
    );
  }
  if (activated) {
    return (
      <div className="space-y-4" role="status">
        <h2 className="text-lg font-semibold">Konto aktiviert</h2>
        <Alert kind="success">Willkommen! Ihr Konto ist aktiv. Sie werden angemeldet …</Alert>
      </div>
    );
  }
  if (linkState !== "valid") {
    const usedInvite = invitation && linkState === "used";
    return (
      <div className="space-y-4">
        <h2 className="text-lg font-semibold">{invitation ? "Einladung annehmen" : "Neues Passwort festlegen"}</h2>
        <Alert kind={usedInvite ? "info" : "error"}>{LINK_MESSAGES[linkState][invitation ? "invite" : "reset"]}</Alert>
        <Link href={usedInvite ? "/login" : "/passwort-vergessen"} className="text-sm text-brand-700 hover:underline">
          {usedInvite ? "Zur Anmeldung" : "Neuen Link anfordern"}
        </Link>
      </div>
    );
  }
  const tokenError = error?.fieldErrors.token?.[0] ?? error?.fieldErrors.email?.[0];
  return (
    <form
      noValidate
      className="space-y-5"
      onSubmit={(e) => {
        e.preventDefault();
        mutation.mutate();
      }}
    >
      <h2 className="text-lg font-semibold">{invitation ? "Einladung annehmen" : "Neues Passwort festlegen"}</h2>
      <p className="text-sm text-slate-600">
        {invitation ? `Willkommen! Legen Sie ein Passwort für ${email} fest, um Ihr Konto zu aktivieren.` : `Für ${email}`}
      </p>
      {tokenError && (
        <Alert kind="error">
          {tokenError}{" "}
          <Link href="/passwort-vergessen" className="underline">
            Neuen Link anfordern
          </Link>
        </Alert>
      )}
      {error && !tokenError && Object.keys(error.fieldErrors).length === 0 && <Alert kind="error">{error.message}</Alert>}
      <Field
        label="Neues Passwort"
        type="password"
        autoComplete="new-password"
        hint="Mindestens 8 Zeichen."
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={error?.fieldErrors.password?.[0]}
      />
      <Field
        label="Neues Passwort wiederholen"
        type="password"
        autoComplete="new-password"
        value={confirmation}
        onChange={(e) => setConfirmation(e.target.value)}
        error={error?.fieldErrors.password_confirmation?.[0]}
      />
      <Button type="submit" busy={mutation.isPending} className="w-full">
        {invitation ? "Passwort festlegen und Einladung annehmen" : "Passwort speichern"}
      </Button>
    </form>
  );
}
