/** Request bodies of the sign-in methods (account pages, login form), German messages inside. */
import { passwordField, z } from "@/lib/validation";

export const totpCodeBody = z.object({
  code: z
    .string({ error: "Bitte den Code aus der App angeben." })
    .trim()
    .regex(/^\d{6}$/, { error: "Der Code aus der App besteht aus 6 Ziffern." }),
});

/** The test code that switches e-mail 2FA on (6 digits, mailed). */
export const emailCodeBody = z.object({
  code: z
    .string({ error: "Bitte den Code aus der E-Mail angeben." })
    .trim()
    .transform((value) => value.replace(/\s+/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, { error: "Der Code aus der E-Mail besteht aus 6 Ziffern." })),
});

export const passwordBody = z.object({ password: passwordField });

/** A WebAuthn answer as @simplewebauthn/browser produces it; the library checks the inside. */
const webauthnResponse = z
  .object({ id: z.string().min(1).max(1024), rawId: z.string().max(1024), type: z.literal("public-key"), response: z.record(z.string(), z.unknown()) })
  .passthrough();

export const passkeyRegistrationBody = z.object({
  challenge_id: z.string({ error: "Die Registrierung ist unvollständig." }).uuid({ error: "Die Registrierung ist unvollständig." }),
  name: z.string().trim().max(80, { error: "Der Name darf höchstens 80 Zeichen lang sein." }).optional(),
  response: webauthnResponse,
});

export const passkeyAssertionBody = z.object({
  challenge_id: z.string().uuid({ error: "Die Anmeldung ist unvollständig." }),
  response: webauthnResponse,
});
