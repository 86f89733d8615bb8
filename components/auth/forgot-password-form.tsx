"use client";

import Link from "next/link";
import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { apiFetch, ApiError } from "@/lib/client/api";

/** `initialEmail`: the address already typed on the sign-in page. */
export function ForgotPasswordForm({ initialEmail = "" }: { initialEmail?: string }) {
  const mutation = useMutation({
    mutationFn: (address: string) => apiFetch<{ message: string }>("/api/manage/auth/forgot-password", { method: "POST", body: { email: address } }),
  });
  const error = mutation.error instanceof ApiError ? mutation.error : null;

  if (mutation.isSuccess) {
    return (
      <div className="space-y-4">
        <h2 className="text-lg font-semibold">E-Mail unterwegs</h2>
        <Alert kind="success">{mutation.data.message}</Alert>
        <p className="text-sm text-slate-600">Der Link ist eine Stunde gültig und kann nur einmal verwendet werden.</p>
        <Link href="/login" className="text-sm text-brand-700 hover:underline">
          Zurück zur Anmeldung
        </Link>
      </div>
    );
  }
  return (
    <form
      noValidate
      className="space-y-5"
      onSubmit={(e) => {
        e.preventDefault();
        // The field is uncontrolled: what it shows is sent, also text typed before the page was interactive
        // (a controlled field would be reset to its empty state when React takes over the page).
        mutation.mutate(String(new FormData(e.currentTarget).get("email") ?? "").trim());
      }}
    >
      <h2 className="text-lg font-semibold">Passwort vergessen</h2>
      <p className="text-sm text-slate-600">Geben Sie Ihre E-Mail-Adresse ein. Wir senden Ihnen einen Link, mit dem Sie ein neues Passwort festlegen.</p>
      {error && !error.fieldErrors.email && <Alert kind="error">{error.message}</Alert>}
      <Field
        label="E-Mail-Adresse"
        type="email"
        autoComplete="username"
        autoFocus
        name="email"
        defaultValue={initialEmail}
        error={error?.fieldErrors.email?.[0]}
      />
      <Button type="submit" busy={mutation.isPending} className="w-full">
        Link anfordern
      </Button>
      <p className="text-center text-sm">
        <Link href="/login" className="text-brand-700 hover:underline">
          Zurück zur Anmeldung
        </Link>
      </p>
    </form>
  );
}
