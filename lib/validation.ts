import { z } from "zod";

// Fallback messages of zod in German; the fields below carry their own wording.
z.config(z.locales.de());

export { z };

/** The largest serial id (PostgreSQL `integer`); a larger id is "not found" or a validation error, never a database error. */
export const MAX_INT_ID = 2_147_483_647;

/** Ids are PostgreSQL `integer`: a larger number is refused (422) before it reaches a query. */
export const ID_TOO_LARGE = { error: `Die ID darf höchstens ${MAX_INT_ID} sein.` };

export const emailField = z
  .string({ error: "Bitte eine E-Mail-Adresse angeben." })
  .trim()
  .toLowerCase()
  .max(254, { error: "Die E-Mail-Adresse ist zu lang." })
  .pipe(z.email({ error: "Bitte eine gültige E-Mail-Adresse angeben." }));

export const passwordField = z
  .string({ error: "Bitte das Passwort angeben." })
  .min(1, { error: "Bitte das Passwort angeben." })
  .max(1000, { error: "Das Passwort ist zu lang." });

export const newPasswordField = z
  .string({ error: "Bitte ein neues Passwort angeben." })
  .min(8, { error: "Das Passwort muss mindestens 8 Zeichen lang sein." })
  .max(1000, { error: "Das Passwort ist zu lang (höchstens 1000 Zeichen)." });

/** password + password_confirmation, as in the seed's reset and change endpoints. */
export const confirmedPassword = {
  password: newPasswordField,
  password_confirmation: z.string({ error: "Bitte das Passwort bestätigen." }),
};

export function passwordsMatch(value: { password: string; password_confirmation: string }) {
  return value.password === value.password_confirmation;
}

export const passwordMismatch = {
  error: "Die Passwörter stimmen nicht überein.",
  path: ["password_confirmation"],
};

export const pageQuery = {
  page: z.coerce
    .number({ error: "Die Seite muss eine Zahl sein." })
    .int({ error: "Die Seite muss eine ganze Zahl sein." })
    .min(1, { error: "Die Seite muss mindestens 1 sein." })
    .default(1),
  per_page: z.coerce
    .number({ error: "per_page muss eine Zahl sein." })
    .int({ error: "per_page muss eine ganze Zahl sein." })
    .min(1, { error: "per_page muss mindestens 1 sein." })
    .max(100, { error: "per_page darf höchstens 100 sein." })
    .default(20),
};
