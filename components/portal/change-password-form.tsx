"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { apiFetch, ApiError } from "@/lib/client/api";

export function ChangePasswordForm() {
  const toast = useToast();
  const [form, setForm] = useState({ current_password: "", password: "", password_confirmation: "", revoke_api_keys: false });
  const mutation = useMutation({
    mutationFn: () => apiFetch<{ message: string }>("/api/manage/auth/password", { method: "PUT", body: form }),
    onSuccess: (data) => {
      setForm({ current_password: "", password: "", password_confirmation: "", revoke_api_keys: false });
      toast("success", data.message);
    },
  });
  const error = mutation.error instanceof ApiError ? mutation.error : null;
  const fieldError = (name: string) => error?.fieldErrors[name]?.[0];
  const set = (name: "current_password" | "password" | "password_confirmation") => (e: React.ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [name]: e.target.value }));

  return (
    <form
      noValidate
      className="max-w-md space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        mutation.mutate();
      }}
    >
      {mutation.isSuccess && <Alert kind="success">{mutation.data.message}</Alert>}
      {error && Object.keys(error.fieldErrors).length === 0 && <Alert kind="error">{error.message}</Alert>}
      <Field label="Aktuelles Passwort" type="password" autoComplete="current-password" value={form.current_password} onChange={set("current_password")} error={fieldError("current_password")} />
      <Field label="Neues Passwort" type="password" autoComplete="new-password" hint="Mindestens 8 Zeichen." value={form.password} onChange={set("password")} error={fieldError("password")} />
      <Field label="Neues Passwort wiederholen" type="password" autoComplete="new-password" value={form.password_confirmation} onChange={set("password_confirmation")} error={fieldError("password_confirmation")} />
      <label className="flex items-start gap-2 text-sm">
        <input
          type="checkbox"
          className="mt-1"
          checked={form.revoke_api_keys}
          onChange={(e) => setForm((f) => ({ ...f, revoke_api_keys: e.target.checked }))}
        />
        <span>
          Auch alle API-Schlüssel (persönliche Zugangstoken) widerrufen
          <span className="block text-slate-500">Empfohlen, wenn Sie befürchten, dass jemand anderes Ihr Passwort kennt.</span>
        </span>
      </label>
      <Button type="submit" busy={mutation.isPending}>
        Passwort ändern
      </Button>
    </form>
  );
}
