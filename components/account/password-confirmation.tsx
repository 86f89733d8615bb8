"use client";

import { Alert } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import type { ApiError } from "@/lib/client/api";

/** "Passwort zur Bestätigung" of a security setting, with the request's error (a field error or a general one). */
export function PasswordConfirmation({ value, onChange, error }: { value: string; onChange: (value: string) => void; error: ApiError | null }) {
  return (
    <>
      {error && Object.keys(error.fieldErrors).length === 0 && <Alert kind="error">{error.message}</Alert>}
      <Field
        label="Passwort zur Bestätigung"
        type="password"
        autoComplete="current-password"
        autoFocus
        value={value}
        onChange={(e) => onChange(e.target.value)}
        error={error?.fieldErrors.password?.[0]}
      />
    </>
  );
}
