/**
 * The manage API's one error schema (closed: every field any manage route answers with), shared by
 * openapi.ts and the operation files spread into it (openapi-sepa.ts).
 */
import { z } from "@/lib/validation";

export const manageError = z
  .object({
    message: z.string(),
    errors: z.record(z.string(), z.array(z.string())).optional().meta({ description: "422: Fehlermeldungen je Feld" }),
    missing: z.string().optional().meta({ description: "403: die fehlende Permission", example: "host.power" }),
    suspended: z.literal(true).optional().meta({ description: "403: die Instanz ist gesperrt" }),
    read_only: z.literal(true).optional().meta({ description: "403: Ansicht als Kunde (nur lesen)" }),
    reauthentication_required: z.literal(true).optional().meta({ description: "403: Passwort-Bestätigung älter als 10 Minuten" }),
    second_factor_setup_required: z.literal(true).optional().meta({ description: "403: Authenticator-App oder Passkey vorgeschrieben, noch nicht eingerichtet" }),
    setup_path: z.string().optional().meta({ description: "Mit second_factor_setup_required: wo der zweite Faktor eingerichtet wird" }),
    two_fa_required: z.literal(true).optional().meta({ description: "403 beim Login: E-Mail-2FA aktiv" }),
    retry_after: z.number().int().optional().meta({ description: "429/503: Sekunden bis zum nächsten Versuch (auch im Header Retry-After)" }),
    attempts_remaining: z.number().int().optional(),
    check: z.object({}).passthrough().optional().meta({ description: "422 beim Setzen einer Domain: das Ergebnis der CNAME-Prüfung" }),
    removed: z.boolean().optional().meta({ description: "502 beim Entfernen einer Domain: false, die Domain bleibt gespeichert" }),
    domain: z.string().optional(),
  })
  .strict()
  .meta({ id: "ManageError", example: { message: "Dafür fehlt Ihnen die Berechtigung.", missing: "host.power" } });
