import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import * as admin from "@/lib/admin/schemas";
import { bulkActionSchema } from "@/lib/admin/bulk";
import * as billing from "@/lib/billing/schemas";
import { activityQueryDoc } from "@/lib/doors/kit/activity-query";
import { customerProfileBody, staffProfileBody } from "@/lib/invoices/billing-profile-schemas";
import { scheduleTierPriceBody } from "@/lib/billing/tier-price-schemas";
import { dunningSettingsBody, pauseBody } from "@/lib/dunning/schemas";
import * as pay from "@/lib/payments/schemas";
import { healthAlertsBody } from "@/lib/health/opt-in";
import { invoiceDetailResponse, invoiceList } from "@/lib/invoices/api-schemas";
import { archiveQuery, cancelSchema, customerListQuery, draftSchema, paymentSchema, staffListQuery } from "@/lib/invoices/schemas";
import { listMailsQuery } from "@/lib/mail/staff";
import { serverActionBody } from "@/lib/servers/schemas";
import { emailField, MAX_INT_ID, newPasswordField, pageQuery, passwordField, z } from "@/lib/validation";
import { TEST_EVENT_TYPE, WEBHOOK_EVENT_LABELS, WEBHOOK_EVENT_TYPES, webhookPayloadSchema } from "@/lib/events/webhooks";
import * as wh from "@/lib/webhooks/schemas";
import { metricsQuery, serverMetricsResponse } from "@/lib/servers/metrics";
import { uptimeResponse } from "@/lib/health/uptime";
import { backupsBody, restoreBody, snapshotBody } from "@/lib/servers/backups";
import { manageError } from "./openapi-errors";
import { backupsView, billingProfileSaved, billingProfileView, cnameCheck, domainsApplied, hostWithAction, manageStatus, serverActionStarted, serverImage, serverView } from "./openapi-bodies";
import * as b from "./openapi-staff-bodies";
import * as s from "./schemas";
import { filesPaths, statusPayment } from "./openapi-files";
import { sepaPaths } from "./openapi-sepa";

/**
 * The OpenAPI 3.1 document of API v1 and the manage API, generated from the
 * zod schemas the handlers validate with (zod-openapi). Served at /api/v1/openapi.json.
 */
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const ok = (description: string, schema: z.ZodType) => ({ description, content: json(schema) });
const v1Err = (description: string) => ({ description, content: json(s.errorResponse) });
const message = z.object({ message: z.string() }).strict().meta({ id: "Message" });
const mErr = (description: string) => ({ description, content: json(manageError) });

const RETRY_AFTER = { "Retry-After": { description: "Sekunden bis zum nächsten Versuch", schema: { type: "integer" } } } as const;
const LOCATION = { Location: { description: "Pfad der neuen Ressource", schema: { type: "string" } } } as const;
const CONTENT_DISPOSITION = { "Content-Disposition": { description: "attachment (bzw. inline) mit Dateinamen", schema: { type: "string" } } } as const;
const ETAG = { ETag: { description: "Prüfsumme der archivierten Datei (für If-None-Match)", schema: { type: "string" } } } as const;
const CACHE_CONTROL = { "Cache-Control": { description: "private bzw. no-store: Rechnungsdaten werden nicht in geteilten Caches gehalten", schema: { type: "string" } } } as const;
const binary = z.string().meta({ format: "binary" });
/** Open on purpose: the WebAuthn options of @simplewebauthn/server, handed to the browser unchanged. */
const webAuthnOptions = (type: string, call: string) =>
  z.object({}).passthrough().meta({ description: `Offen: WebAuthn-${type} (@simplewebauthn/server), unverändert an ${call} zu geben` });

const V1_AUTH_ERRORS = {
  "401": v1Err("Nicht angemeldet, Token ungültig/abgelaufen/widerrufen"),
  "429": v1Err("Rate-Limit (600/min pro Benutzer) überschritten; Header Retry-After"),
};
const bearer = [{ bearer: [] as string[] }];
const tenantParam = { query: s.tenantQuery };

/** Every authenticated v1 call, except the set-up itself, /auth/me and logout, while a required second factor is missing. */
const SECOND_FACTOR_403 =
  "second_factor_setup_required (detail.setup_path): für das Konto ist eine Authenticator-App oder ein Passkey vorgeschrieben (MSP-Mitarbeiter; Benutzer einer Instanz mit dieser Vorschrift) und noch nicht eingerichtet";

function v1(op: ZodOpenApiOperationObject & { tags?: string[] }, extra: Record<string, unknown> = {}): ZodOpenApiOperationObject {
  const previous = (op.responses?.["403"] as { description?: string } | undefined)?.description;
  const forbidden = v1Err(previous ? `${previous} / ${SECOND_FACTOR_403}` : SECOND_FACTOR_403);
  return { security: bearer, ...op, responses: { ...V1_AUTH_ERRORS, ...op.responses, "403": forbidden }, ...extra };
}

/**
 * A sensitive change ("sudo mode"): the login session must have confirmed the
 * password or a passkey within 10 minutes; otherwise 403 with
 * `detail.error = reauthentication_required`, then POST /api/v1/auth/reauthenticate and repeat.
 */
const REAUTH_403 =
  "reauthentication_required (detail.reauthentication_required = true): die Anmeldung hat das Passwort nicht in den letzten 10 Minuten bestätigt – POST /api/v1/auth/reauthenticate, dann wiederholen";
function sudo(op: ZodOpenApiOperationObject, apiKeys: "refused" | "allowed"): ZodOpenApiOperationObject {
  const previous = (op.responses?.["403"] as { description?: string } | undefined)?.description;
  const keys = apiKeys === "refused" ? "Mit einem API-Schlüssel nicht möglich (403 forbidden)." : "Ein API-Schlüssel mit Scope read_write braucht keine Bestätigung.";
  return {
    ...op,
    description: [op.description, `Sensible Änderung: Passwort-Bestätigung der Anmeldung höchstens 10 Minuten alt (Re-Authentifizierung). ${keys}`].filter(Boolean).join(" "),
    responses: { ...op.responses, "403": v1Err(previous ? `${previous} / ${REAUTH_403}` : REAUTH_403) },
  };
}

const pagination = z.object(pageQuery);
const webhookPath = z.object({ id: z.string().uuid() });
const WEBHOOK_SCOPE = "Eigener Tenant; MSP-Mitarbeiter ohne tenant_id: die MSP-weiten Endpunkte (Ereignisse aller Tenants), mit tenant_id die des Tenants.";

/**
 * The `webhooks` section: one entry per event type, the body the portal POSTs
 * (Standard Webhooks: headers webhook-id, webhook-timestamp, webhook-signature).
 */
const webhookSection = Object.fromEntries(
  [...WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE].map((type) => [
    type,
    {
      post: {
        summary: type === TEST_EVENT_TYPE ? "Testereignis („Testereignis senden“)" : WEBHOOK_EVENT_LABELS[type as keyof typeof WEBHOOK_EVENT_LABELS],
        operationId: `webhook_${type.replaceAll(".", "_")}`,
        tags: ["v1 Webhooks"],
        // The receiver checks webhook-signature (HMAC with the endpoint's secret); no bearer token is sent.
        security: [],
        requestParams: {
          header: z.object({
            "webhook-id": z.string().meta({ description: "Eindeutige Nachrichten-ID; gleich bei jeder Wiederholung (zum Entdoppeln)" }),
            "webhook-timestamp": z.string().meta({ description: "Unix-Sekunden des Zustellversuchs" }),
            "webhook-signature": z.string().meta({ description: "v1,<Base64 HMAC-SHA256 über id.timestamp.body>; während einer Secret-Erneuerung zwei, durch Leerzeichen getrennt" }),
          }),
        },
        requestBody: { content: json(webhookPayloadSchema(type as (typeof WEBHOOK_EVENT_TYPES)[number]).meta({ id: `WebhookEvent_${type.replaceAll(".", "_")}` })) },
        responses: { "200": { description: "Jede 2xx-Antwort gilt als zugestellt; alles andere wird mit Back-off bis zu 24 Stunden wiederholt." } },
      },
    },
  ]),
);

const hostPath = z.object({ id: z.string().meta({ description: "Hetzner-Server-ID", example: "1001" }) });
const hostActionPath = hostPath.extend({ action: s.hostAction });
const emailConfirmationStarted = z
  .object({
    two_factor_enabled: z.boolean(),
    confirmation_pending: z.boolean(),
    sent_to: z.string(),
    expires_at: z.string().meta({ description: "ISO 8601" }),
    expires_in: z.number().int().meta({ description: "Sekunden", example: 600 }),
    message: z.string(),
  })
  .meta({ id: "EmailConfirmationStarted" });
const tenantPath = z.object({ id: z.string().uuid().meta({ description: "Tenant-UUID (Instanz)" }) });

const v1Paths: ZodOpenApiPathsObject = {
  "/api/v1/auth/login": {
    post: {
      tags: ["v1 Anmeldung"],
      summary: "Login (E-Mail + Passwort)",
      security: [],
      description: "Ohne 2FA: Tokens. Mit 2FA: challenge_token; der Code kommt per E-Mail. Rate-Limit 10/min pro IP.",
      requestBody: { content: json(s.loginBody) },
      responses: {
        "200": { description: "Tokens oder 2FA-Challenge", content: json(z.union([s.tokenResponse, s.twoFactorRequiredResponse])) },
        "401": v1Err("Falsche Zugangsdaten"),
        "422": v1Err("Ungültige Eingaben"),
        "429": v1Err("Zu viele Versuche (10/min pro IP) oder 2FA-Sperre; Retry-After"),
      },
    },
  },
  "/api/v1/auth/2fa/verify": {
    post: {
      tags: ["v1 Anmeldung"],
      summary: "2FA-Code bestätigen",
      security: [],
      description:
        "Nimmt die Methode des Kontos an: E-Mail-2FA 8-stelliger Code aus der Mail (läuft ab, gilt einmal), Authenticator-App 6-stelliger Code (±30 s, jeder Code einmal) oder ein Wiederherstellungscode (xxxxx-xxxxx, einmal). Nach 5 Fehlversuchen: 429 mit Retry-After: 1800.",
      requestBody: { content: json(s.verifyTwoFactorBody) },
      responses: {
        "200": ok("Tokens", s.tokenResponse),
        "401": v1Err("Falscher Code (mit attempts_remaining) oder Challenge ungültig/abgelaufen"),
        "422": v1Err("Ungültige Eingaben"),
        "429": v1Err("Gesperrt nach 5 Fehlversuchen (Retry-After: 1800) oder 10/min pro IP"),
      },
    },
  },
  "/api/v1/auth/refresh": {
    post: {
      tags: ["v1 Anmeldung"],
      summary: "Tokens erneuern (Authorization: Bearer <refresh_token>)",
      description:
        "Jeder Refresh-Token gilt nur einmal. Wiederverwendungs-Intervall: derselbe Client (gleiche Adresse und gleicher User-Agent) erhält innerhalb von 10 Sekunden nach der Erneuerung für denselben Token dasselbe neue Token-Paar (zwei Tabs, Wiederholung nach verlorener Antwort). Jede andere Wiederverwendung gilt als Diebstahl: die ganze Token-Familie wird widerrufen.",
      security: [{ bearer: [] }],
      responses: { "200": ok("Neues Token-Paar", s.tokenResponse), "401": v1Err("Refresh-Token ungültig, abgelaufen oder wiederverwendet") },
    },
  },
  "/api/v1/auth/logout": {
    post: v1({ tags: ["v1 Anmeldung"], summary: "Logout: widerruft die Refresh-Token-Familie", responses: { "200": ok("Abgemeldet", message) } }),
  },
  "/api/v1/auth/me": {
    get: v1({ tags: ["v1 Anmeldung"], summary: "Eigener Benutzer, Rollen, Permissions, Tenant", responses: { "200": ok("Benutzer", s.v1Me) } }),
  },
  "/api/v1/auth/reauthenticate": {
    post: v1({
      tags: ["v1 Anmeldung"],
      summary: "Re-Authentifizierung: Passwort bestätigen (gilt 10 Minuten für sensible Änderungen)",
      description:
        "Sensible Änderungen (API-Schlüssel, Passkeys, Webhooks; Passwort, App und Wiederherstellungscodes fragen das Passwort selbst ab) verlangen, dass diese Anmeldung das Passwort in den letzten 10 Minuten bestätigt hat; sonst 403 reauthentication_required. Eine Anmeldung zählt als Bestätigung. Fehlversuche zählen wie beim Passwortwechsel: 5 pro 5 Minuten je Konto und je Adresse.",
      requestBody: { content: json(z.object({ password: passwordField })) },
      responses: {
        "200": ok("Bestätigt", z.object({ message: z.string(), reauthenticated_until: z.string().nullable().meta({ example: "2026-12-04T19:10:00Z" }) })),
        "403": v1Err("Mit einem API-Schlüssel nicht möglich"),
        "422": v1Err("Passwort falsch"),
        "429": v1Err("Zu viele Fehlversuche (5 pro 5 Minuten je Konto und je Adresse); Retry-After"),
      },
    }),
  },
  "/api/v1/auth/api-keys": {
    get: v1({ tags: ["v1 API-Schlüssel"], summary: "Eigene API-Schlüssel (ohne Geheimnisse)", responses: { "200": ok("Liste", z.object({ api_keys: z.array(s.apiKey) })) } }),
    post: v1(sudo({
      tags: ["v1 API-Schlüssel"],
      summary: "Personal Access Token erstellen",
      description: "Die Antwort enthält den Klartext-Token genau einmal. Scope read blockiert jeden schreibenden Aufruf mit 403.",
      requestBody: { content: json(s.createApiKeyBody) },
      responses: { "201": ok("Erstellt", s.createdApiKey), "403": v1Err("Mit read-Scope nicht erlaubt"), "422": v1Err("Ungültige Eingaben") },
    }, "refused")),
  },
  "/api/v1/auth/api-keys/{id}": {
    delete: v1(sudo({
      tags: ["v1 API-Schlüssel"],
      summary: "API-Schlüssel widerrufen",
      requestParams: { path: z.object({ id: z.string().uuid() }) },
      responses: { "200": ok("Widerrufen", z.object({ message: z.string(), api_key: s.apiKey })), "404": v1Err("Nicht gefunden") },
    }, "refused")),
  },
  "/api/v1/auth/2fa": {
    get: v1({
      tags: ["v1 Konto"],
      summary: "2FA-Status",
      description: "E-Mail-2FA, App, Passkeys, übrige Wiederherstellungscodes; email_confirmation beschreibt ein offenes Einschalten der E-Mail-2FA (sonst null).",
      responses: { "200": ok("Status", s.secondFactorOverview) },
    }),
    put: v1({
      tags: ["v1 Konto"],
      summary: "E-Mail-2FA ausschalten, oder einschalten mit Bestätigungscode (mit Passwort)",
      description:
        "enabled=false schaltet sofort aus. enabled=true schaltet erst nach dem Bestätigungscode ein: Antwort 202, ein 6-stelliger Code geht per E-Mail, " +
        "PUT /api/v1/auth/2fa/email/confirmation schaltet ein. Ist E-Mail-2FA schon an, bleibt sie unverändert (200).",
      requestBody: { content: json(s.twoFactorSettingsBody) },
      responses: {
        "200": ok("Geändert", z.object({ two_factor_enabled: z.boolean(), confirmation_pending: z.boolean(), message: z.string() })),
        "202": ok("Bestätigungscode gesendet, noch aus", emailConfirmationStarted),
        "422": v1Err("Passwort falsch"),
        "429": v1Err("Zu viele Versuche oder Codes"),
      },
    }),
  },
  "/api/v1/auth/2fa/email/confirmation": {
    post: v1({
      tags: ["v1 Konto"],
      summary: "E-Mail-2FA einschalten, Schritt 1: Bestätigungscode per E-Mail (mit Passwort; noch nicht aktiv)",
      description: "Der 6-stellige Code ist 10 Minuten gültig und nur einmal verwendbar; ein neuer Code ersetzt den vorigen. Höchstens 5 Codes pro 30 Minuten und Konto.",
      requestBody: { content: json(z.object({ password: passwordField })) },
      responses: { "202": ok("Code gesendet", emailConfirmationStarted), "409": v1Err("E-Mail-2FA bereits aktiv"), "422": v1Err("Passwort falsch"), "429": v1Err("Zu viele Versuche oder Codes") },
    }),
    put: v1({
      tags: ["v1 Konto"],
      summary: "E-Mail-2FA einschalten, Schritt 2: der richtige Code schaltet sie ein",
      description: "Falsche Codes: 422; nach 5 falschen Codes in 30 Minuten (pro Konto) bzw. 10 pro Minute (pro IP) 429 mit Retry-After. Abgelaufener Code: 422, verwendeter oder abgebrochener: 409.",
      requestBody: { content: json(z.object({ code: z.string().meta({ example: "123456" }) })) },
      responses: {
        "200": ok("Aktiv", z.object({ two_factor_enabled: z.boolean(), message: z.string() })),
        "409": v1Err("Kein offener Code oder bereits aktiv"),
        "422": v1Err("Code falsch oder abgelaufen"),
        "429": v1Err("Zu viele falsche Codes"),
      },
    }),
    delete: v1({
      tags: ["v1 Konto"],
      summary: "Einschalten der E-Mail-2FA abbrechen (der offene Code gilt nicht mehr)",
      responses: { "200": ok("Abgebrochen", z.object({ two_factor_enabled: z.boolean(), confirmation_pending: z.boolean(), message: z.string() })) },
    }),
  },
  "/api/v1/auth/2fa/email/confirmation/resend": {
    post: v1({
      tags: ["v1 Konto"],
      summary: "Bestätigungscode erneut senden (ohne Passwort, solange das Einschalten offen ist)",
      responses: { "202": ok("Neuer Code gesendet", emailConfirmationStarted), "409": v1Err("Kein offenes Einschalten"), "429": v1Err("Zu viele Codes angefordert") },
    }),
  },
  "/api/v1/auth/2fa/totp": {
    post: v1({
      tags: ["v1 Konto"],
      summary: "Authenticator-App einrichten, Schritt 1: Schlüssel und QR-Code (noch nicht aktiv)",
      description: "Das Passwort bestätigt die Einrichtung (Rate-Limit pro Konto und IP wie beim Passwortwechsel).",
      requestBody: { content: json(z.object({ password: passwordField })) },
      responses: {
        "200": ok("Schlüssel", z.object({ secret: z.string(), otpauth_url: z.string(), qr_code: z.string().meta({ description: "data:image/png;base64,…" }) })),
        "409": v1Err("App bereits aktiv"),
        "422": v1Err("Passwort falsch"),
        "429": v1Err("Zu viele Versuche"),
      },
    }),
    put: v1({
      tags: ["v1 Konto"],
      summary: "Authenticator-App einrichten, Schritt 2: erster Code aus der App schaltet sie ein",
      description: "Antwortet mit zehn Wiederherstellungscodes – sie werden nur dieses eine Mal angezeigt. Rate-Limit pro Konto und IP.",
      requestBody: { content: json(z.object({ code: z.string().meta({ example: "123456" }) })) },
      responses: { "200": ok("Aktiv", z.object({ totp_enabled: z.boolean(), recovery_codes: z.array(z.string()), message: z.string() })), "422": v1Err("Code falsch"), "429": v1Err("Zu viele Versuche") },
    }),
    delete: v1({
      tags: ["v1 Konto"],
      summary: "Authenticator-App ausschalten (mit Passwort)",
      requestBody: { content: json(z.object({ password: passwordField })) },
      responses: { "200": ok("Aus", z.object({ totp_enabled: z.boolean(), message: z.string() })), "422": v1Err("Passwort falsch"), "429": v1Err("Zu viele Versuche") },
    }),
  },
  "/api/v1/auth/2fa/recovery-codes": {
    post: v1({
      tags: ["v1 Konto"],
      summary: "Neue Wiederherstellungscodes (die bisherigen gelten nicht mehr; mit Passwort)",
      requestBody: { content: json(z.object({ password: passwordField })) },
      responses: { "200": ok("Codes", z.object({ recovery_codes: z.array(z.string()), message: z.string() })), "409": v1Err("Weder App noch Passkey eingerichtet"), "422": v1Err("Passwort falsch"), "429": v1Err("Zu viele Versuche") },
    }),
  },
  "/api/v1/auth/passkeys": {
    get: v1({ tags: ["v1 Konto"], summary: "Passkeys des Kontos", responses: { "200": ok("Passkeys", z.object({ passkeys: z.array(s.passkey) }).strict()) } }),
    post: v1(sudo({
      tags: ["v1 Konto"],
      summary: "Passkey registrieren, Schritt 2 (Antwort von navigator.credentials.create)",
      responses: {
        "201": ok("Angelegt; beim ersten Passkey ohne App mit recovery_codes (sonst null)", z.object({ passkey: s.passkey, recovery_codes: z.array(z.string()).nullable(), message: z.string() }).strict()),
        "422": v1Err("Antwort ungültig oder Challenge abgelaufen"),
      },
    }, "refused")),
  },
  "/api/v1/auth/passkeys/options": {
    post: v1(sudo({ tags: ["v1 Konto"], summary: "Passkey registrieren, Schritt 1: WebAuthn-Optionen und challenge_id", responses: { "200": ok("Optionen für navigator.credentials.create()", z.object({ challenge_id: z.string(), options: webAuthnOptions("PublicKeyCredentialCreationOptions", "navigator.credentials.create()") }).strict()) } }, "refused")),
  },
  "/api/v1/auth/passkeys/{id}": {
    delete: v1(sudo({
      tags: ["v1 Konto"],
      summary: "Passkey entfernen",
      requestParams: { path: z.object({ id: z.string().uuid() }) },
      responses: { "200": ok("Entfernt", message), "404": v1Err("Nicht gefunden") },
    }, "refused")),
  },
  "/api/v1/auth/sessions/{id}": {
    delete: v1({
      tags: ["v1 Konto"],
      summary: "Eine Sitzung (oder API-v1-Anmeldung) beenden",
      requestParams: { path: z.object({ id: z.string().uuid() }) },
      responses: { "200": ok("Beendet", z.object({ message: z.string(), current: z.boolean() })), "404": v1Err("Nicht gefunden oder bereits beendet") },
    }),
  },
  "/api/v1/auth/sessions": {
    get: v1({
      tags: ["v1 Konto"],
      summary: "Aktive Sitzungen",
      description:
        "Browser- und Manage-API-Sitzungen sowie API-v1-Anmeldungen des Kontos, zuletzt genutzte zuerst: Gerät, IP-Adresse und – wenn der Betreiber eine lokale GeoIP-Datenbank eingerichtet hat – der ungefähre Ort (`approximate_location`, sonst null).",
      responses: { "200": ok("Sitzungen", z.object({ sessions: z.array(s.sessionItem) })) },
    }),
    delete: v1({ tags: ["v1 Konto"], summary: "Überall abmelden", responses: { "200": ok("Abgemeldet", message) } }),
  },
  "/api/v1/hosts": {
    get: v1({
      tags: ["v1 Hosts"],
      summary: "Hosts des Tenants (Permission host.read)",
      description: "Super-Admin/MSP ohne tenant_id: alle Tenants.",
      requestParams: tenantParam,
      responses: { "200": ok("Hosts", z.object({ hosts: z.array(s.host) })), "403": v1Err("permission_denied / tenant_forbidden / tenant_suspended"), "404": v1Err("tenant_id unbekannt") },
    }),
  },
  "/api/v1/hosts/{id}": {
    get: v1({
      tags: ["v1 Hosts"],
      summary: "Host (Permission host.read)",
      requestParams: { path: hostPath, ...tenantParam },
      responses: { "200": ok("Host mit laufender bzw. letzter Aktion", hostWithAction), "404": v1Err("Nicht gefunden (auch fremder Tenant)") },
    }),
    delete: v1({
      tags: ["v1 Hosts"],
      summary: "Host von der Instanz trennen (Permission host.delete)",
      requestParams: { path: hostPath, ...tenantParam },
      responses: { "200": ok("Getrennt", z.object({ message: z.string(), id: z.number().int().nullable().meta({ description: "Hetzner-Server-ID des getrennten Servers" }) }).strict()), "403": v1Err("permission_denied"), "404": v1Err("Nicht gefunden") },
    }),
  },
  "/api/v1/hosts/{id}/{action}": {
    post: v1({
      tags: ["v1 Hosts"],
      summary: "Power-Aktion / Status aktualisieren (Permission host.power)",
      description: "Aktionen: reboot, power-off, power-on, refresh-status. Rate-Limit 3 Aktionen/min pro Instanz.",
      requestParams: { path: hostActionPath, ...tenantParam },
      responses: {
        "200": ok("Ausgelöst", serverActionStarted),
        "403": v1Err("permission_denied / insufficient_scope"),
        "404": v1Err("Nicht gefunden"),
        "409": v1Err("Andere Aktion läuft"),
        "422": v1Err("Kein Hetzner-Server zugeordnet"),
        "500": v1Err("Server-Aktion fehlgeschlagen"),
      },
    }),
  },
  "/api/v1/webhooks": {
    get: v1({
      tags: ["v1 Webhooks"],
      summary: "Webhook-Endpunkte (Permission webhook.manage)",
      description: WEBHOOK_SCOPE,
      requestParams: tenantParam,
      responses: { "200": ok("Endpunkte", wh.webhookList), "403": v1Err("permission_denied / tenant_forbidden / tenant_suspended") },
    }),
    post: v1(sudo({
      tags: ["v1 Webhooks"],
      summary: "Webhook-Endpunkt anlegen (Permission webhook.manage)",
      description: `${WEBHOOK_SCOPE} Die Antwort enthält das Signatur-Secret genau einmal.`,
      requestParams: tenantParam,
      requestBody: { content: json(wh.createWebhookBody) },
      responses: {
        "201": { ...ok("Angelegt", wh.createdWebhookEndpoint), headers: { ...LOCATION } },
        "403": v1Err("permission_denied / insufficient_scope / tenant_forbidden"),
        "422": v1Err("Ungültige Eingaben (auch: URL in einem lokalen oder privaten Netz)"),
      },
    }, "allowed")),
  },
  "/api/v1/webhooks/{id}": {
    get: v1({ tags: ["v1 Webhooks"], summary: "Webhook-Endpunkt", requestParams: { path: webhookPath, ...tenantParam }, responses: { "200": ok("Endpunkt", z.object({ endpoint: wh.webhookEndpoint }).strict()), "404": v1Err("Nicht gefunden") } }),
    patch: v1(sudo({
      tags: ["v1 Webhooks"],
      summary: "Webhook-Endpunkt ändern, aktivieren oder deaktivieren",
      requestParams: { path: webhookPath, ...tenantParam },
      requestBody: { content: json(wh.updateWebhookBody) },
      responses: { "200": ok("Geändert", z.object({ endpoint: wh.webhookEndpoint }).strict()), "404": v1Err("Nicht gefunden"), "422": v1Err("Ungültige Eingaben") },
    }, "allowed")),
    delete: v1(sudo({ tags: ["v1 Webhooks"], summary: "Webhook-Endpunkt löschen", requestParams: { path: webhookPath, ...tenantParam }, responses: { "200": ok("Gelöscht", message), "404": v1Err("Nicht gefunden") } }, "allowed")),
  },
  "/api/v1/webhooks/{id}/rotate-secret": {
    post: v1(sudo({
      tags: ["v1 Webhooks"],
      summary: "Signatur-Secret erneuern",
      description: "Das neue Secret wird genau einmal angezeigt. Während der Überlappung (overlap_hours, Standard 24) trägt webhook-signature zwei Signaturen: mit dem neuen und dem alten Secret.",
      requestParams: { path: webhookPath, ...tenantParam },
      requestBody: { content: json(wh.rotateSecretBody) },
      responses: { "200": ok("Erneuert", wh.createdWebhookEndpoint), "404": v1Err("Nicht gefunden"), "422": v1Err("Ungültige Eingaben") },
    }, "allowed")),
  },
  "/api/v1/webhooks/{id}/test": {
    post: v1({
      tags: ["v1 Webhooks"],
      summary: "Testereignis senden (webhook.test an diesen Endpunkt)",
      requestParams: { path: webhookPath, ...tenantParam },
      responses: { "202": ok("Eingereiht", wh.webhookTestResult), "404": v1Err("Nicht gefunden") },
    }),
  },
  "/api/v1/webhooks/{id}/deliveries": {
    get: v1({
      tags: ["v1 Webhooks"],
      summary: "Zustellprotokoll (neueste 50, mit jedem Versuch: Ergebnis, HTTP-Status, Dauer)",
      requestParams: { path: webhookPath, ...tenantParam },
      responses: { "200": ok("Zustellungen", wh.webhookDeliveryList), "404": v1Err("Nicht gefunden") },
    }),
  },
  "/api/v1/tenants": {
    get: v1({
      tags: ["v1 Tenants"],
      summary: "Tenants (nur MSP, Permission tenant.read)",
      requestParams: { query: pagination },
      responses: { "200": ok("Tenants", z.object({ tenants: z.array(s.tenant), meta: s.paginationMeta })), "403": v1Err("permission_denied") },
    }),
  },
  "/api/v1/tenants/{id}": {
    get: v1({ tags: ["v1 Tenants"], summary: "Tenant", requestParams: { path: tenantPath }, responses: { "200": ok("Tenant", z.object({ tenant: s.tenant })), "404": v1Err("Nicht gefunden") } }),
  },
  "/api/v1/tenants/{id}/suspend": {
    post: v1({
      tags: ["v1 Tenants"],
      summary: "Tenant sperren (Permission tenant.manage)",
      requestParams: { path: tenantPath },
      requestBody: { content: json(s.suspendBody) },
      responses: { "200": ok("Gesperrt", z.object({ message: z.string(), tenant: s.tenant })), "404": v1Err("Nicht gefunden"), "409": v1Err("Bereits gesperrt") },
    }),
  },
  "/api/v1/tenants/{id}/unsuspend": {
    post: v1({
      tags: ["v1 Tenants"],
      summary: "Sperre aufheben (Permission tenant.manage)",
      requestParams: { path: tenantPath },
      responses: { "200": ok("Entsperrt", z.object({ message: z.string(), tenant: s.tenant })), "404": v1Err("Nicht gefunden"), "409": v1Err("Nicht gesperrt") },
    }),
  },
  "/api/v1/tenants/{id}/host": {
    put: v1({
      tags: ["v1 Tenants"],
      summary: "Hetzner-Server verknüpfen (Permission tenant.manage)",
      description: "Gleicher Befehl wie in der MSP-Verwaltung: Der Server muss bei Hetzner existieren und darf keinem anderen Tenant gehören.",
      requestParams: { path: tenantPath },
      requestBody: { content: json(s.linkHostBody) },
      responses: { "200": ok("Verknüpft", z.object({ message: z.string(), host: s.host })), "404": v1Err("Nicht gefunden"), "422": v1Err("Server unbekannt oder vergeben") },
    }),
  },
  "/api/v1/activity": {
    get: v1({
      tags: ["v1 Aktivität"],
      summary: "Aktivitätsprotokoll (Permission activity.read)",
      description:
        "Neueste zuerst, filterbar nach Art (`kind`) und Zeitraum (`from`/`to`). Je Tenant ist jede Seite gleich schnell, wie tief sie auch liegt, und `meta.total` ist exakt. MSP-Mitarbeiter ohne tenant_id: die Einträge aller Tenants; dort wird bis 10.000 gezählt (`meta.total_capped`), und die Seiten enden dort — ältere Einträge je Tenant mit tenant_id.",
      requestParams: { query: activityQueryDoc.extend(s.tenantQuery.shape) },
      responses: { "200": ok("Einträge", z.object({ logs: z.array(s.activityEntry), meta: s.paginationMeta })), "403": v1Err("permission_denied / tenant_forbidden / tenant_suspended") },
    }),
  },
  "/api/v1/invoices": {
    get: v1({
      tags: ["v1 Rechnungen"],
      summary: "Rechnungen des Tenants (Permission invoice.read)",
      description: "MSP-Mitarbeiter ohne tenant_id: die Rechnungen aller Tenants, jede mit tenant_id.",
      requestParams: { query: customerListQuery.extend(s.tenantQuery.shape) },
      responses: { "200": ok("Rechnungen, Statistik, Seiten-Info (Zeitpunkte als 2026-03-04T10:00:00+00:00, Daten als YYYY-MM-DD)", invoiceList) },
    }),
  },
  "/api/v1/invoices/{id}": {
    get: v1({
      tags: ["v1 Rechnungen"],
      summary: "Rechnung (Permission invoice.read)",
      requestParams: { path: z.object({ id: z.string() }), ...tenantParam },
      responses: { "200": ok("Rechnung (Zeitpunkte als 2026-03-04T10:00:00+00:00, Daten als YYYY-MM-DD)", invoiceDetailResponse), "404": v1Err("Nicht gefunden") },
    }),
  },
  "/api/v1/invoices/{id}/e-invoice": {
    get: v1({
      tags: ["v1 Rechnungen"],
      summary: "E-Rechnung nach EN 16931 (Permission invoice.read)",
      description: "XML nach dem Rechnungsprofil, das beim Entwurf auf der Rechnung festgehalten wurde: XRechnung-UBL, XRechnung-CII oder ZUGFeRD/Factur-X-CII (EN 16931). format=xrechnung liefert XRechnung-UBL, format=zugferd|cii das CII, format=facturx das PDF/A-3b mit eingebetteter factur-x.xml. Alle Dateien werden beim Ausstellen einmal erzeugt und mit SHA-256 unveränderlich archiviert; 404, wenn ein Format beim Ausstellen nicht erzeugt werden konnte.",
      requestParams: { path: z.object({ id: z.string() }), query: s.tenantQuery.extend({ format: z.enum(["zugferd", "cii", "xrechnung", "facturx"]).optional() }) },
      responses: {
        "200": {
          description: "application/xml (bzw. application/pdf bei format=facturx) als Download",
          headers: { ...CONTENT_DISPOSITION, ...CACHE_CONTROL },
          content: {
            "application/xml": { schema: z.string().meta({ format: "binary" }) },
            "application/pdf": { schema: z.string().meta({ format: "binary" }) },
          },
        },
        "404": v1Err("Nicht gefunden"),
        "422": v1Err("Unbekanntes Format oder E-Rechnung nicht erzeugbar"),
      },
    }),
  },
};

const session = [{ session: [] as string[] }];
function m(summary: string, extra: Partial<ZodOpenApiOperationObject> = {}): ZodOpenApiOperationObject {
  return {
    tags: ["Manage-API"],
    summary,
    security: session,
    ...extra,
    responses: { "200": { description: "OK" }, "401": mErr("Nicht angemeldet"), "403": mErr("Gesperrt, Berechtigung fehlt oder zweiter Faktor vorgeschrieben (second_factor_setup_required: true)"), ...extra.responses },
  };
}
const domainBody = z.object({ domain: z.string().meta({ example: "portal.meinefirma.de" }) });
const manageServerAction = m("Server-Aktion (3/min pro Instanz)", {
  description: "Optionaler Inhalt: { force: true } schaltet nach einem gescheiterten Herunterfahren hart aus (nur power-off).",
  requestBody: { required: false, content: json(serverActionBody) },
  responses: {
    "200": ok("Ausgelöst", serverActionStarted),
    "409": mErr("Eine andere Server-Aktion läuft noch"),
    "422": mErr("Kein Hetzner-Server zugeordnet"),
    "429": mErr("Rate-Limit"),
    "500": mErr("Server-Aktion fehlgeschlagen"),
  },
});
const domainKindView = z
  .object({
    kind: z.enum(["portal", "meshcentral"]),
    label: z.string(),
    default_domain: z.string(),
    custom_domain: z.string().nullable(),
    active_domain: z.string(),
    url: z.string(),
    cname_target: z.string(),
    status: z.string(),
    status_label: z.string(),
    applied: z.boolean(),
    applied_at: s.apiTimestampField().nullable(),
    last_error: z.string().nullable(),
    last_check_status: z.string().nullable(),
    last_checked_at: s.apiTimestampField().nullable(),
  })
  .strict()
  .meta({ id: "DomainKind" });
const domainConfiguration = z
  .object({
    portal_domain: z.string(),
    custom_portal_domain: z.string().nullable(),
    portal_url: z.string(),
    meshcentral_domain: z.string(),
    custom_meshcentral_domain: z.string().nullable(),
    meshcentral_url: z.string(),
    cname_target: z.object({ portal: z.string(), meshcentral: z.string() }).strict(),
    server_ipv4: z.string().nullable(),
    portal: domainKindView,
    meshcentral: domainKindView,
    can_write: z.boolean(),
  })
  .strict()
  .meta({ id: "DomainConfiguration" });
const domainSet = z
  .object({ message: z.string(), applied: z.boolean(), domain: z.string(), retry: z.string().optional().meta({ description: "Nur wenn das Anwenden fehlschlug" }) })
  .strict();
const domainRemoved = z.object({ message: z.string(), removed: z.boolean(), applied: z.boolean(), domain: z.string(), active_domain: z.string() }).strict();
const domainErrors = {
  "404": mErr("Keine eigene Domain gesetzt"),
  "409": mErr("Domain gehört einer anderen Instanz"),
  "422": mErr("Ungültige Domain oder CNAME-Prüfung fehlgeschlagen (check)"),
  "429": mErr("Zu viele DNS-Prüfungen"),
  "502": mErr("Server nicht erreichbar; die Domain bleibt gespeichert (removed: false)"),
};
const manageMe = z
  .object({
    user: s.meUser,
    instance: s.meInstance.nullable(),
    impersonation: s.impersonationView.nullable(),
  })
  .strict()
  .meta({ id: "ManageMe" });
const activityPage = z.object({ logs: z.array(s.activityEntry), meta: s.paginationMeta }).strict().meta({ id: "ActivityPage" });
const passwordChanged = z
  .object({ message: z.string(), api_keys_revoked: z.number().int(), api_keys_remaining: z.number().int() })
  .strict()
  .meta({ id: "PasswordChanged" });

const managePaths: ZodOpenApiPathsObject = {
  "/api/manage/auth/login": {
    post: {
      tags: ["Manage-API"],
      summary: "Login → Session-Token",
      security: [],
      description: "Konten mit aktiver E-Mail-2FA erhalten 403 (two_fa_required: true) mit Hinweis auf Portal bzw. /api/v1/auth/login.",
      requestBody: { content: json(z.object({ email: emailField, password: passwordField })) },
      responses: {
        "200": ok("Token", z.object({ token: z.string(), expires_at: s.apiTimestampField(), instance: s.loginInstance.nullable().meta({ description: "null für MSP-Mitarbeiter" }) }).strict()),
        "401": mErr("Falsche Zugangsdaten"),
        "403": mErr("2FA aktiv – bitte Portal oder API v1 nutzen"),
        "422": mErr("Ungültige Eingaben"),
        "429": mErr("Zu viele Versuche"),
      },
    },
  },
  "/api/manage/auth/passkey-options": {
    post: {
      tags: ["Manage-API"],
      summary: "Mit Passkey anmelden, Schritt 1: WebAuthn-Optionen und challenge_id",
      security: [],
      description: "Schritt 2 ist die Anmeldung im Portal mit der Antwort von navigator.credentials.get(). Rate-Limit 30/min pro IP.",
      responses: {
        "200": ok("Optionen für navigator.credentials.get()", z.object({ challenge_id: z.string(), options: webAuthnOptions("PublicKeyCredentialRequestOptions", "navigator.credentials.get()") }).strict()),
        "429": mErr("Zu viele Anfragen; Retry-After"),
      },
    },
  },
  "/api/manage/auth/logout": { post: m("Logout", { responses: { "200": ok("Abgemeldet", message) } }) },
  "/api/manage/auth/me": { get: m("Eigener Benutzer und Instanz", { responses: { "200": ok("Benutzer, Instanz, Ansicht als Kunde", manageMe) } }) },
  "/api/manage/auth/reauthenticate": {
    post: m("Re-Authentifizierung: Passwort bestätigen (gilt 10 Minuten für sensible Änderungen dieser Sitzung)", {
      requestBody: { content: json(z.object({ password: passwordField })) },
      responses: {
        "200": ok("Bestätigt", z.object({ message: z.string(), reauthenticated_until: z.string().nullable() })),
        "422": mErr("Passwort falsch"),
        "429": mErr("Zu viele Fehlversuche (5 pro 5 Minuten je Konto und je Adresse); Retry-After"),
      },
    }),
  },
  "/api/manage/second-factor-rule": {
    get: m("Vorschrift der Instanz: Authenticator-App oder Passkey für alle Benutzer (Permission user.manage)", {
      responses: { "200": ok("Einstellung", z.object({ require_two_factor: z.boolean() })) },
    }),
    put: m("Vorschrift der Instanz ein- oder ausschalten (Permission user.manage, Re-Authentifizierung)", {
      description:
        "Eingeschaltet werden alle Benutzer der Instanz ohne Authenticator-App oder Passkey bei der nächsten Anfrage zur Einrichtung geführt (403 second_factor_setup_required). Verlangt eine Passwort-Bestätigung der Sitzung in den letzten 10 Minuten (403 mit reauthentication_required: true, dann POST /api/manage/auth/reauthenticate).",
      requestBody: { content: json(z.object({ required: z.boolean() })) },
      responses: {
        "200": ok("Gespeichert", z.object({ require_two_factor: z.boolean() })),
        "403": mErr("Berechtigung fehlt, Instanz gesperrt oder reauthentication_required"),
        "422": mErr("Ungültige Eingaben"),
      },
    }),
  },
  "/api/manage/auth/password": {
    put: m("Passwort ändern", {
      requestBody: { content: json(z.object({ current_password: passwordField, password: newPasswordField, password_confirmation: z.string() })) },
      responses: { "200": ok("Geändert; andere Sitzungen beendet", passwordChanged), "422": mErr("Passwort falsch oder ungültig"), "429": mErr("Zu viele Fehlversuche; Retry-After") },
    }),
  },
  "/api/manage/auth/forgot-password": {
    post: {
      tags: ["Manage-API"],
      summary: "Link zum Zurücksetzen anfordern",
      security: [],
      requestBody: { content: json(z.object({ email: emailField })) },
      responses: { "200": ok("Immer gleiche Antwort", message), "422": mErr("Ungültige E-Mail-Adresse"), "429": mErr("Zu viele Anfragen") },
    },
  },
  "/api/manage/auth/reset-password": {
    post: {
      tags: ["Manage-API"],
      summary: "Passwort mit Token zurücksetzen",
      security: [],
      requestBody: { content: json(z.object({ email: emailField, token: z.string(), password: newPasswordField, password_confirmation: z.string() })) },
      responses: { "200": ok("Zurückgesetzt; alle Sitzungen beendet", z.object({ message: z.string(), api_keys_revoked: z.number().int() }).strict()), "422": mErr("Token ungültig"), "429": mErr("Zu viele Anfragen") },
    },
  },
  "/api/manage/status": { get: m("Status der Instanz (Server, Abrechnung, Domains)", { responses: { "200": ok("Status", manageStatus) } }) },
  "/api/manage/server": { get: m("Server-Ansicht mit laufender Aktion", { responses: { "200": ok("Server, letzte Aktion", serverView) } }) },
  "/api/manage/server/metrics": {
    get: m("Messwerte des Servers: CPU, Datenträger, Netzwerk (Permission host.read)", {
      description:
        "Aus Hetzners GET /servers/{id}/metrics. CPU in Prozent des ganzen Servers (Hetzner misst je vCPU; geteilt durch die Kerne des Servertyps). Höchstens 30 Tage und 500 Messpunkte je Reihe; summary ist die Textalternative jedes Diagramms.",
      requestParams: { query: metricsQuery },
      responses: {
        "200": ok("Messwerte", serverMetricsResponse),
        "422": mErr("Kein Hetzner-Server zugeordnet oder ungültiger Zeitraum"),
        "500": mErr("Hetzner nicht erreichbar"),
      },
    }),
  },
  "/api/manage/server/uptime": {
    get: m("Erreichbarkeit der letzten 90 Tage (Permission host.read)", {
      description:
        "Aus den minütlichen Prüfungen von Portal- und MeshCentral-URL: ein Balken je Tag (Europe/Berlin), Verfügbarkeit in Prozent und die Störungen mit Beginn, Ende und Dauer. Tage ohne Prüfung (Server ausgeschaltet) zählen weder als erreichbar noch als gestört.",
      responses: { "200": ok("Erreichbarkeit", uptimeResponse) },
    }),
  },
  "/api/manage/server/backups": {
    get: m("Backups (an/aus, Zeitfenster, Preis, letzte Backups) und Snapshots des Servers (Permission host.read)", {
      responses: { "200": ok("Backups und Snapshots", backupsView), "422": mErr("Kein Hetzner-Server zugeordnet"), "500": mErr("Hetzner nicht erreichbar") },
    }),
    put: m("Backups ein- oder ausschalten (Permission host.power)", {
      description:
        "Backups kosten bei Hetzner 20 % des Serverpreises; eingeschaltet wird der Betrag als monatliche Abrechnungsposition der Instanz geführt, ausgeschaltet endet sie am selben Tag. Beim Ausschalten löscht Hetzner die vorhandenen Backups.",
      requestBody: { content: json(backupsBody) },
      responses: { "200": ok("Ausgelöst", message), "422": mErr("Ungültige Eingabe oder kein Preis bekannt"), "500": mErr("Hetzner-Fehler") },
    }),
  },
  "/api/manage/server/snapshots": {
    post: m("Snapshot erstellen (Permission host.power; höchstens 3 je Instanz, einer je 10 Minuten)", {
      requestBody: { content: json(snapshotBody) },
      responses: { "201": ok("Snapshot wird erstellt", z.object({ message: z.string(), snapshot: serverImage }).strict()), "409": mErr("Höchstens 3 Snapshots"), "422": mErr("Beschreibung fehlt"), "429": mErr("Rate-Limit"), "500": mErr("Hetzner-Fehler") },
    }),
  },
  "/api/manage/server/snapshots/{id}": {
    delete: m("Eigenen Snapshot löschen (Permission host.power)", {
      requestParams: { path: z.object({ id: z.string().meta({ description: "Hetzner-Image-ID" }) }) },
      responses: { "200": ok("Gelöscht", message), "404": mErr("Snapshot nicht gefunden oder nicht von diesem Server"), "500": mErr("Hetzner-Fehler") },
    }),
  },
  "/api/manage/server/reboot": { post: manageServerAction },
  "/api/manage/server/power-off": { post: manageServerAction },
  "/api/manage/server/power-on": { post: manageServerAction },
  "/api/manage/server/refresh-status": { post: manageServerAction },
  "/api/manage/domains": { get: m("Domains der Instanz", { responses: { "200": ok("Domains", domainConfiguration) } }) },
  "/api/manage/domains/apply": {
    post: m("Gespeicherte Domain-Konfiguration erneut auf den Server übertragen", {
      responses: { "200": ok("Ergebnis (applied: false mit Fehlermeldung, wenn der Server nicht erreichbar war)", domainsApplied) },
    }),
  },
  "/api/manage/domains/check-cname": {
    post: m("CNAME prüfen", {
      requestBody: { content: json(domainBody) },
      responses: { "200": ok("Ergebnis der Prüfung", cnameCheck), "422": mErr("Ungültige Domain"), "429": domainErrors["429"] },
    }),
  },
  "/api/manage/domains/custom-portal": {
    put: m("Eigene Portal-Domain setzen", { requestBody: { content: json(domainBody) }, responses: { "200": ok("Gespeichert (applied: false, wenn der Server nicht erreichbar war)", domainSet), "409": domainErrors["409"], "422": domainErrors["422"], "429": domainErrors["429"] } }),
    delete: m("Eigene Portal-Domain entfernen", { responses: { "200": ok("Entfernt", domainRemoved), "404": domainErrors["404"], "502": domainErrors["502"] } }),
  },
  "/api/manage/domains/custom-meshcentral": {
    put: m("Eigene MeshCentral-Domain setzen", { requestBody: { content: json(domainBody) }, responses: { "200": ok("Gespeichert (applied: false, wenn der Server nicht erreichbar war)", domainSet), "409": domainErrors["409"], "422": domainErrors["422"], "429": domainErrors["429"] } }),
    delete: m("Eigene MeshCentral-Domain entfernen", { responses: { "200": ok("Entfernt", domainRemoved), "404": domainErrors["404"], "502": domainErrors["502"] } }),
  },
  "/api/manage/billing-profile": {
    get: m("Rechnungsprofil der Instanz (Empfänger, Anschrift, E-Rechnungsformat)", {
      responses: {
        "200": ok(
          "Rechnungsprofil mit den Auswahllisten (options)",
          billingProfileView,
        ),
      },
    }),
    put: m("Rechnungsadresse und Rechnungs-E-Mail ändern (Kunden-Administrator)", {
      requestBody: { content: json(customerProfileBody) },
      responses: { "200": ok("Gespeichert", billingProfileSaved), "422": mErr("Ungültige Eingabe, z. B. PLZ passt nicht zum Land") },
    }),
  },
  "/api/manage/invoices": { get: m("Rechnungen", { requestParams: { query: customerListQuery }, responses: { "200": ok("Rechnungen, Statistik, Seiten-Info", invoiceList) } }) },
  "/api/manage/invoices/{id}": {
    get: m("Rechnung", { requestParams: { path: z.object({ id: z.string() }) }, responses: { "200": ok("Rechnung", invoiceDetailResponse), "404": mErr("Nicht gefunden") } }),
  },
  "/api/manage/invoices/archive": {
    get: m("Jahresarchiv: alle Rechnungen eines Jahres als ZIP (PDF und E-Rechnung) für die Buchhaltung", {
      requestParams: { query: archiveQuery },
      responses: {
        "200": { description: "ZIP-Datei als Download", headers: { ...CONTENT_DISPOSITION, ...CACHE_CONTROL }, content: { "application/zip": { schema: binary } } },
        "404": mErr("Keine Rechnungen in diesem Jahr"),
        "422": mErr("Ungültiges Jahr"),
      },
    }),
  },
  "/api/manage/invoices/{id}/pdf": {
    get: m("Rechnung als PDF (archiviert; ?inline=1 zur Anzeige im Browser)", {
      description: "Mit If-None-Match und dem ETag einer früheren Antwort: 304 ohne Inhalt, solange das archivierte PDF unverändert ist.",
      requestParams: { path: z.object({ id: z.string() }), query: z.object({ inline: z.string().optional() }) },
      responses: {
        "200": { description: "PDF-Datei; archivierte PDFs mit ETag (SHA-256) und Cache-Control private, immutable", headers: { ...CONTENT_DISPOSITION, ...CACHE_CONTROL }, content: { "application/pdf": { schema: binary } } },
        "304": { description: "Unverändert (If-None-Match)", headers: { ...ETAG } },
        "404": mErr("Nicht gefunden"),
      },
    }),
  },
  "/api/manage/invoices/{id}/e-invoice": {
    get: m("E-Rechnung (XML: ZUGFeRD-CII oder XRechnung je nach Einstellung; format=zugferd|cii|xrechnung|facturx)", {
      requestParams: { path: z.object({ id: z.string() }), query: z.object({ format: z.enum(["zugferd", "cii", "xrechnung", "facturx"]).optional() }) },
      responses: {
        "200": { description: "application/xml bzw. application/pdf (format=facturx) als Download", headers: { ...CONTENT_DISPOSITION, ...CACHE_CONTROL }, content: { "application/xml": { schema: binary }, "application/pdf": { schema: binary } } },
        "404": mErr("Nicht gefunden"),
        "422": mErr("Unbekanntes Format"),
      },
    }),
  },
  "/api/manage/activity-log": { get: m("Aktivitätsprotokoll (neueste zuerst, filterbar nach Art und Zeitraum)", { requestParams: { query: activityQueryDoc }, responses: { "200": ok("Einträge", activityPage) } }) },
};

/* ---------- Staff API (/api/manage/admin/**): MSP staff, session token, one permission per operation ---------- */

const ENTITY_ERRORS = { instance: "Instanz nicht gefunden", invoice: "Rechnung nicht gefunden", user: "Benutzer nicht gefunden", mail: "Mail nicht gefunden", tier: "Tarif nicht gefunden", entry: "Bankbuchung nicht gefunden" } as const;
type StaffOptions = Partial<ZodOpenApiOperationObject> & { permission: string; notFound?: keyof typeof ENTITY_ERRORS; body?: z.ZodType; conflict?: string; answer?: z.ZodType };

/**
 * A staff operation: session token, the wrapper's 401/403, 404 for an id path, 422 for a parsed body or query.
 * Its success is declared, never assumed: `answer` (the closed 200 body, lib/doors/v1/openapi-staff-bodies.ts) or a
 * 2xx in `responses` (201 through `created`, a file download); without one building the document throws.
 */
function staff(tag: string, summary: string, { permission, notFound, body, conflict, description, answer, ...extra }: StaffOptions): ZodOpenApiOperationObject {
  const validated = body !== undefined || extra.requestParams?.query !== undefined;
  if (!answer && !Object.keys(extra.responses ?? {}).some((status) => status.startsWith("2"))) throw new Error(`OpenAPI: Staff-Operation „${summary}“ ohne Erfolgsantwort`);
  return {
    tags: [tag],
    summary,
    description: [`Permission ${permission}.`, description].filter(Boolean).join(" "),
    security: session,
    ...extra,
    ...(body ? { requestBody: { required: true, content: json(body) } } : {}),
    responses: {
      ...(answer ? { "200": ok("OK", answer) } : {}),
      "401": mErr("Nicht angemeldet"),
      "403": mErr(`Permission ${permission} fehlt oder Ansicht als Kunde (nur lesen)`),
      ...(notFound ? { "404": mErr(ENTITY_ERRORS[notFound]) } : {}),
      ...(conflict ? { "409": mErr(conflict) } : {}),
      ...(validated ? { "422": mErr("Ungültige Eingaben (errors je Feld)") } : {}),
      ...extra.responses,
    },
  };
}
const created = (description: string, schema: z.ZodType) => ({ "201": ok(description, schema) });
const intId = (description: string) => z.object({ id: z.string().meta({ description, example: "1" }) });
const instanceIdPath = { path: intId("Instanz-ID") };
const invoiceIdPath = { path: intId("Rechnungs-ID") };
const tierKeyPath = z.object({ key: z.string().meta({ description: "Tarif-Schlüssel", example: "standard" }) });
const userIdPath = { path: z.object({ id: z.string().uuid().meta({ description: "Benutzer-UUID" }) }) };
const T = {
  dashboard: "Verwaltung: Übersicht",
  instances: "Verwaltung: Instanzen",
  users: "Verwaltung: Benutzer",
  invoices: "Verwaltung: Rechnungen",
  billing: "Verwaltung: Abrechnung",
  dunning: "Verwaltung: Mahnwesen",
  payments: "Verwaltung: Zahlungseingang",
  mails: "Verwaltung: E-Mails",
  tiers: "Verwaltung: Tarife",
} as const;
const OWN_ACCOUNT = "Nicht für das eigene Konto oder ungültige Benutzer-ID";
const inviteAnyUserBody = admin.inviteUserSchema.extend({
  instance_id: z.number().int().positive().max(MAX_INT_ID).nullable().optional().meta({ description: "Ohne Angabe: MSP-Mitarbeiter; sonst Benutzer dieser Instanz" }),
});
const serverActionPath = z.object({ id: z.string().meta({ description: "Instanz-ID", example: "1" }), action: z.enum(["reboot", "power-off", "power-on", "refresh-status"]) });

const staffPaths: ZodOpenApiPathsObject = {
  "/api/manage/admin/dashboard": { get: staff(T.dashboard, "Kennzahlen für die MSP-Startseite", { permission: "tenant.read", answer: b.dashboard }) },
  "/api/manage/admin/instances": {
    get: staff(T.instances, "Instanzen suchen und blättern", { permission: "tenant.read", answer: b.instanceList, requestParams: { query: admin.listInstancesQuery } }),
    post: staff(T.instances, "Instanz anlegen", { permission: "tenant.manage", body: admin.createInstanceSchema, conflict: "Name bereits vergeben", responses: created("Angelegt", b.instanceWithMessage) }),
  },
  "/api/manage/admin/instances/bulk": {
    post: staff(T.instances, "Sammelaktion für mehrere Instanzen (Ergebnis je Instanz)", {
      permission: "tenant.read",
      answer: b.bulkResult,
      description: "Zusätzlich die Permission der Aktion (host.power bzw. tenant.manage).",
      body: bulkActionSchema,
    }),
  },
  "/api/manage/admin/instances/{id}": {
    get: staff(T.instances, "Instanz mit Details", { permission: "tenant.read", answer: b.instanceDetail, notFound: "instance", requestParams: instanceIdPath }),
    patch: staff(T.instances, "Instanz ändern", { permission: "tenant.manage", answer: b.instanceWithMessage, notFound: "instance", requestParams: instanceIdPath, body: admin.updateInstanceSchema }),
  },
  "/api/manage/admin/instances/{id}/suspend": {
    post: staff(T.instances, "Instanz sperren (mit Grund)", { permission: "tenant.manage", answer: b.instanceWithMessage, notFound: "instance", requestParams: instanceIdPath, body: admin.suspendSchema, conflict: "Bereits gesperrt" }),
  },
  "/api/manage/admin/instances/{id}/reactivate": {
    post: staff(T.instances, "Sperre aufheben", { permission: "tenant.manage", answer: b.instanceWithMessage, notFound: "instance", requestParams: instanceIdPath, body: admin.reactivateSchema, conflict: "Nicht gesperrt" }),
  },
  "/api/manage/admin/instances/{id}/activity-log": {
    get: staff(T.instances, "Aktivitätsprotokoll der Instanz (filterbar nach Art und Zeitraum)", { permission: "tenant.read", answer: activityPage, notFound: "instance", requestParams: { ...instanceIdPath, query: activityQueryDoc } }),
  },
  "/api/manage/admin/instances/{id}/users": {
    get: staff(T.instances, "Benutzer der Instanz", { permission: "tenant.read", answer: b.userList, notFound: "instance", requestParams: { ...instanceIdPath, query: admin.listUsersQuery } }),
    post: staff(T.instances, "Benutzer der Instanz einladen (Link per E-Mail)", {
      permission: "user.manage",
      notFound: "instance",
      requestParams: instanceIdPath,
      body: admin.inviteUserSchema,
      conflict: "E-Mail-Adresse bereits vergeben",
      responses: created("Eingeladen", b.userWithMessage),
    }),
  },
  "/api/manage/admin/instances/{id}/server": {
    get: staff(T.instances, "Server-Ansicht der Instanz (Status, laufende Aktion)", { permission: "host.read", answer: serverView, notFound: "instance", requestParams: instanceIdPath }),
    put: staff(T.instances, "Hetzner-Server verknüpfen", {
      permission: "tenant.manage",
      answer: b.instanceWithMessage,
      notFound: "instance",
      requestParams: instanceIdPath,
      body: admin.linkServerSchema,
      conflict: "Server gehört einer anderen Instanz",
    }),
    delete: staff(T.instances, "Hetzner-Server trennen", { permission: "tenant.manage", answer: b.instanceWithMessage, notFound: "instance", requestParams: instanceIdPath, conflict: "Kein Server verknüpft oder eine Server-Aktion läuft" }),
  },
  "/api/manage/admin/instances/{id}/server/metrics": {
    get: staff(T.instances, "Messwerte des Servers der Instanz (CPU, Datenträger, Netzwerk)", {
      permission: "host.read",
      notFound: "instance",
      requestParams: { ...instanceIdPath, query: metricsQuery },
      responses: { "200": ok("Messwerte", serverMetricsResponse), "500": mErr("Hetzner nicht erreichbar") },
    }),
  },
  "/api/manage/admin/instances/{id}/server/uptime": {
    get: staff(T.instances, "Erreichbarkeit der Instanz (90 Tage, Störungen)", {
      permission: "host.read",
      notFound: "instance",
      requestParams: instanceIdPath,
      responses: { "200": ok("Erreichbarkeit", uptimeResponse) },
    }),
  },
  "/api/manage/admin/instances/{id}/server/backups": {
    get: staff(T.instances, "Backups und Snapshots des Servers der Instanz", {
      permission: "host.read",
      notFound: "instance",
      requestParams: instanceIdPath,
      responses: { "200": ok("Backups und Snapshots", backupsView), "422": mErr("Kein Hetzner-Server zugeordnet oder ungültige Instanz-ID"), "500": mErr("Hetzner nicht erreichbar") },
    }),
  },
  "/api/manage/admin/instances/{id}/server/restore": {
    post: staff(T.instances, "Server aus Backup oder Snapshot wiederherstellen (nur MSP)", {
      permission: "host.power",
      answer: serverActionStarted,
      description: "Hetzner rebuild: die Festplatte wird durch das Abbild ersetzt. Bestätigung: confirmation muss der Servername sein.",
      notFound: "instance",
      requestParams: instanceIdPath,
      body: restoreBody,
      conflict: "Andere Aktion läuft",
      responses: { "429": mErr("Rate-Limit"), "500": mErr("Hetzner-Fehler") },
    }),
  },
  "/api/manage/admin/instances/{id}/server/{action}": {
    post: staff(T.instances, "Server-Aktion für die Instanz (3/min pro Instanz)", {
      permission: "host.power",
      answer: serverActionStarted,
      notFound: "instance",
      requestParams: { path: serverActionPath },
      body: serverActionBody,
      conflict: "Andere Aktion läuft",
      responses: { "429": mErr("Rate-Limit"), "500": mErr("Server-Aktion fehlgeschlagen") },
    }),
  },
  "/api/manage/admin/instances/{id}/billing-profile": {
    get: staff(T.billing, "Rechnungsprofil der Instanz", { permission: "invoice.read", answer: billingProfileView, notFound: "instance", requestParams: instanceIdPath }),
    put: staff(T.billing, "Rechnungsprofil speichern (Anschrift, USt-IdNr., Leitweg-ID, E-Rechnungsformat, steuerliche Behandlung)", {
      permission: "invoice.write",
      answer: billingProfileSaved,
      notFound: "instance",
      requestParams: instanceIdPath,
      body: staffProfileBody,
    }),
  },
  "/api/manage/admin/instances/{id}/billing-items": {
    get: staff(T.billing, "Abrechnungspositionen der Instanz", { permission: "invoice.read", answer: b.planItems, notFound: "instance", requestParams: instanceIdPath }),
    post: staff(T.billing, "Abrechnungsposition hinzufügen", { permission: "invoice.write", notFound: "instance", requestParams: instanceIdPath, body: billing.planItemBody, responses: created("Hinzugefügt", b.planItemAdded) }),
    delete: staff(T.billing, "Abrechnungsposition entfernen (?item_id=…)", { permission: "invoice.write", answer: message, notFound: "instance", requestParams: { ...instanceIdPath, query: billing.itemIdQuery } }),
  },
  "/api/manage/admin/instances/{id}/dunning-pause": {
    get: staff(T.dunning, "Mahnstatus der Instanz", { permission: "invoice.read", answer: b.dunningView, notFound: "instance", requestParams: instanceIdPath }),
    put: staff(T.dunning, "Mahnwesen pausieren (Notiz Pflicht)", { permission: "invoice.write", answer: b.dunningChanged, notFound: "instance", requestParams: instanceIdPath, body: pauseBody, conflict: "Bereits pausiert" }),
    delete: staff(T.dunning, "Mahnwesen fortsetzen", { permission: "invoice.write", answer: b.dunningChanged, notFound: "instance", requestParams: instanceIdPath, conflict: "Nicht pausiert" }),
  },
  "/api/manage/admin/instances/{id}/dunning-now": {
    post: staff(T.dunning, "Jetzt mahnen: die nächste Mahnstufe sofort versenden", {
      permission: "invoice.write",
      answer: b.dunningSent,
      notFound: "instance",
      description: "Für die überfällige Rechnung mit der höchsten erreichten Stufe (bei Gleichstand die älteste) die nächste Stufe (Zahlungserinnerung, 1. oder 2. Mahnung) mit Brief und Rechnungs-PDFs; nie die Sperre. Jede Stufe je Rechnung nur einmal.",
      requestParams: instanceIdPath,
      conflict: "Nichts überfällig, Mahnwesen pausiert oder letzte Stufe erreicht",
    }),
  },
  "/api/manage/admin/instances/{id}/health-alerts": {
    get: staff(T.instances, "Störungsmeldungen: gehen sie auch an die Kunden-Admins?", { permission: "tenant.read", answer: b.healthAlerts, notFound: "instance", requestParams: instanceIdPath }),
    put: staff(T.instances, "Störungsmeldungen für die Kunden-Admins ein- oder ausschalten", { permission: "tenant.manage", answer: b.healthAlertsSaved, notFound: "instance", requestParams: instanceIdPath, body: healthAlertsBody }),
  },
  "/api/manage/admin/impersonation": {
    get: staff(T.instances, "Aktuelle „Ansicht als Kunde“ dieser Sitzung", { permission: "tenant.read", answer: b.impersonationCurrent }),
    post: staff(T.instances, "„Ansicht als Kunde“ starten (nur lesen)", { permission: "tenant.read", answer: b.impersonationStarted, notFound: "instance", body: admin.startImpersonationSchema }),
    delete: staff(T.instances, "„Ansicht als Kunde“ beenden", { permission: "tenant.read", answer: b.impersonationEnded, conflict: "Keine Kundenansicht aktiv" }),
  },
  "/api/manage/admin/users": {
    get: staff(T.users, "Benutzer suchen", { permission: "user.manage", answer: b.userList, requestParams: { query: admin.listUsersQuery } }),
    post: staff(T.users, "MSP-Mitarbeiter oder Kundenbenutzer einladen", { permission: "user.manage", body: inviteAnyUserBody, conflict: "E-Mail-Adresse bereits vergeben", responses: created("Eingeladen", b.userWithMessage) }),
  },
  "/api/manage/admin/users/{id}/roles": {
    put: staff(T.users, "Rollen setzen", { permission: "user.manage", answer: b.userWithMessage, notFound: "user", requestParams: userIdPath, body: admin.setRolesSchema }),
  },
  "/api/manage/admin/users/{id}/activate": {
    post: staff(T.users, "Benutzer aktivieren", { permission: "user.manage", answer: b.userWithMessage, notFound: "user", requestParams: userIdPath, conflict: "Bereits aktiv", responses: { "422": mErr(OWN_ACCOUNT) } }),
  },
  "/api/manage/admin/users/{id}/deactivate": {
    post: staff(T.users, "Benutzer deaktivieren (beendet Sitzungen)", { permission: "user.manage", answer: b.userWithMessage, notFound: "user", requestParams: userIdPath, conflict: "Bereits deaktiviert", responses: { "422": mErr(OWN_ACCOUNT) } }),
  },
  "/api/manage/admin/users/{id}/reset-2fa": {
    post: staff(T.users, "2FA des Benutzers zurücksetzen", { permission: "user.manage", answer: b.userWithMessage, notFound: "user", requestParams: userIdPath, responses: { "422": mErr(OWN_ACCOUNT) } }),
  },
  "/api/manage/admin/users/{id}/resend-invitation": {
    post: staff(T.users, "Einladung erneut senden", { permission: "user.manage", answer: b.userWithMessage, notFound: "user", requestParams: userIdPath, conflict: "Einladung bereits angenommen", responses: { "422": mErr(OWN_ACCOUNT) } }),
  },
  "/api/manage/admin/roles": { get: staff(T.users, "Rollen und ihre Permissions", { permission: "tenant.read", answer: b.roleList }) },
  "/api/manage/admin/tiers": {
    get: staff(T.tiers, "Tarife mit heutigem Preis und geplanten Preisänderungen", {
      permission: "tenant.read",
      answer: b.tierList,
      description: "upcoming_price_changes je Tarif (label z. B. „ab 01.12.2026: 39,00 €“); default_effective_from: Standarddatum einer neuen Preisänderung.",
    }),
  },
  "/api/manage/admin/tiers/{key}": {
    patch: staff(T.tiers, "Bezeichnung und Limits ändern (gelten sofort)", {
      permission: "tenant.manage",
      answer: b.tierWithMessage,
      notFound: "tier",
      description: "Ein geänderter monthly_price ergibt 422: neue Preise gelten erst ab einem Datum (…/price-changes). Protokolliert als ein Eintrag ohne Instanz.",
      requestParams: { path: tierKeyPath },
      body: admin.updateTierSchema,
    }),
  },
  "/api/manage/admin/tiers/{key}/price-changes": {
    post: staff(T.tiers, "Preisänderung ab einem Datum planen (dry_run: nur betroffene Instanzen/Kunden)", {
      permission: "tenant.manage",
      notFound: "tier",
      description:
        "effective_from fehlt → 1. Tag des nächsten Abrechnungszeitraums; nicht in der Vergangenheit, höchstens 5 Jahre voraus (sonst 422). " +
        "dry_run: true → 200 mit impact (instance_count, customer_count = verschiedene Firmen der Instanzen, already_billed_count), schreibt nichts. " +
        "Sonst 201; jede betroffene Instanz (Tarif, nicht gekündigt, ohne individuellen Preis) erhält einen Eintrag im Aktivitätsprotokoll.",
      requestParams: { path: tierKeyPath },
      body: scheduleTierPriceBody,
      conflict: "Für diesen Tag ist bereits eine Preisänderung geplant",
      answer: b.tierPriceScheduled,
      responses: created("Geplant", b.tierPriceScheduled),
    }),
  },
  "/api/manage/admin/tiers/{key}/price-changes/{date}": {
    delete: staff(T.tiers, "Geplante Preisänderung stornieren (nur vor dem Stichtag)", {
      permission: "tenant.manage",
      answer: message,
      requestParams: { path: tierKeyPath.extend({ date: z.string().meta({ description: "Stichtag JJJJ-MM-TT", example: "2026-12-01" }) }) },
      conflict: "Preisänderung gilt bereits",
      responses: { "404": mErr("Tarif oder Preisänderung nicht gefunden") },
    }),
  },
  "/api/manage/admin/invoices": {
    get: staff(T.invoices, "Alle Rechnungen (mit Entwürfen)", { permission: "invoice.read", answer: b.staffInvoiceList, requestParams: { query: staffListQuery } }),
    post: staff(T.invoices, "Rechnungsentwurf anlegen", { permission: "invoice.write", body: draftSchema, responses: created("Entwurf gespeichert", b.staffInvoiceWithMessage) }),
  },
  "/api/manage/admin/invoices/recipients": { get: staff(T.invoices, "Instanzen mit zuletzt verwendetem Rechnungsempfänger", { permission: "invoice.read", answer: b.recipients }) },
  "/api/manage/admin/invoices/{id}": {
    get: staff(T.invoices, "Rechnung", { permission: "invoice.read", answer: b.staffInvoiceView, notFound: "invoice", requestParams: invoiceIdPath }),
    put: staff(T.invoices, "Entwurf ändern", { permission: "invoice.write", answer: b.staffInvoiceWithMessage, notFound: "invoice", requestParams: invoiceIdPath, body: draftSchema, conflict: "Kein Entwurf mehr" }),
    delete: staff(T.invoices, "Entwurf löschen", { permission: "invoice.write", answer: message, notFound: "invoice", requestParams: invoiceIdPath, conflict: "Kein Entwurf mehr" }),
  },
  "/api/manage/admin/invoices/{id}/issue": {
    post: staff(T.invoices, "Entwurf ausstellen und versenden", { permission: "invoice.write", answer: b.staffInvoiceWithMessage, notFound: "invoice", requestParams: invoiceIdPath, conflict: "Kein Entwurf mehr", responses: { "422": mErr("Entwurf unvollständig") } }),
  },
  "/api/manage/admin/invoices/{id}/cancel": {
    post: staff(T.invoices, "Rechnung stornieren (erzeugt Stornorechnung)", { permission: "invoice.write", answer: b.invoiceCancelled, notFound: "invoice", requestParams: invoiceIdPath, body: cancelSchema, conflict: "Nicht stornierbar" }),
  },
  "/api/manage/admin/invoices/{id}/payments": {
    post: staff(T.invoices, "Zahlung erfassen", { permission: "invoice.write", notFound: "invoice", requestParams: invoiceIdPath, body: paymentSchema, conflict: "Rechnung nicht offen", responses: created("Zahlung erfasst", b.staffInvoiceWithMessage) }),
  },
  "/api/manage/admin/invoices/{id}/pdf": {
    get: staff(T.invoices, "Rechnung als PDF (archiviert; ?inline=1 zur Anzeige)", {
      permission: "invoice.read",
      notFound: "invoice",
      requestParams: { ...invoiceIdPath, query: z.object({ inline: z.string().optional() }) },
      responses: { "200": { description: "PDF-Datei (Entwürfe als Vorschau)", headers: { ...CONTENT_DISPOSITION, ...CACHE_CONTROL }, content: { "application/pdf": { schema: binary } } } },
    }),
  },
  "/api/manage/admin/invoices/{id}/e-invoice": {
    get: staff(T.invoices, "E-Rechnung (format=zugferd|cii|xrechnung|facturx)", {
      permission: "invoice.read",
      notFound: "invoice",
      requestParams: { ...invoiceIdPath, query: z.object({ format: z.enum(["zugferd", "cii", "xrechnung", "facturx"]).optional() }) },
      responses: {
        "200": { description: "application/xml bzw. application/pdf (format=facturx) als Download", headers: { ...CONTENT_DISPOSITION, ...CACHE_CONTROL }, content: { "application/xml": { schema: binary }, "application/pdf": { schema: binary } } },
        "422": mErr("Unbekanntes Format oder E-Rechnung nicht erzeugbar"),
      },
    }),
  },
  "/api/manage/admin/billing/settings": {
    get: staff(T.billing, "Abrechnungseinstellungen", { permission: "invoice.read", answer: b.billingSettingsView }),
    put: staff(T.billing, "Abrechnungseinstellungen speichern", { permission: "invoice.write", answer: b.billingSettingsSaved, body: billing.settingsBody }),
  },
  "/api/manage/admin/billing/preview": {
    get: staff(T.billing, "Vorschau eines Abrechnungslaufs (?period=JJJJ-MM)", { permission: "invoice.read", answer: b.billingPreview, requestParams: { query: billing.periodQuery } }),
  },
  "/api/manage/admin/billing/runs": {
    post: staff(T.billing, "Abrechnungslauf ausführen (Konflikte mit bereits berechneten Zeiträumen nur mit decisions)", { permission: "invoice.write", body: billing.runBody, conflict: "Lauf für den Zeitraum läuft bereits", responses: created("Lauf ausgeführt", b.billingRunDone) }),
  },
  "/api/manage/admin/dunning/settings": {
    get: staff(T.dunning, "Mahneinstellungen", { permission: "invoice.read", answer: b.dunningSettingsView }),
    put: staff(T.dunning, "Mahneinstellungen speichern", { permission: "invoice.write", answer: b.dunningSettingsSaved, body: dunningSettingsBody }),
  },
  "/api/manage/admin/bank-statements": {
    post: staff(T.payments, "Kontoauszug (CAMT.053) hochladen, ≤ 5 MB", {
      permission: "invoice.write",
      description: "Multipart-Feld file oder rohes XML; bereits importierte Auszüge ergeben 409.",
      requestBody: {
        required: true,
        content: {
          "multipart/form-data": { schema: z.object({ file: z.string().meta({ format: "binary" }) }) },
          "application/xml": { schema: z.string() },
        },
      },
      conflict: "Auszug bereits importiert",
      responses: { "201": ok("Importiert: der Auszug, die Zählung und jede Buchung", b.bankStatementImport), "413": mErr("Datei größer als 5 MB"), "422": mErr("Keine gültige CAMT.053-Datei") },
    }),
  },
  "/api/manage/admin/bank-statements/entries": {
    get: staff(T.payments, "Bankbuchungen (?status=…)", { permission: "invoice.read", answer: b.bankEntries, requestParams: { query: pay.listBankEntriesQuery } }),
  },
  "/api/manage/admin/bank-statements/entries/{id}/assign": {
    post: staff(T.payments, "Bankbuchung zuordnen: eine Rechnung (ID oder Rechnungsnummer) oder aufgeteilt auf mehrere", {
      permission: "invoice.write",
      answer: b.bankEntryAssigned,
      notFound: "entry",
      description: "Alle Teile werden in einer Transaktion gebucht oder keiner. Ohne Betrag erhält eine Rechnung ihren offenen Betrag, höchstens den Rest der Buchung. Bezahlt die Buchung die letzte überfällige Rechnung einer vom Mahnwesen gesperrten Instanz, wird die Sperre aufgehoben.",
      requestParams: { path: intId("Bankbuchungs-ID") },
      body: pay.assignBankEntryBody,
      conflict: "Bereits zugeordnet, Rechnung bezahlt oder storniert",
      responses: { "422": mErr("Aufteilung größer als die Buchung oder als der offene Betrag einer Rechnung") },
    }),
  },
  "/api/manage/admin/bank-statements/entries/{id}/unassign": {
    post: staff(T.payments, "Falsche Zuordnung aufheben (Gegenbuchung, protokolliert)", {
      permission: "invoice.write",
      answer: b.bankEntryUnassigned,
      notFound: "entry",
      description: "Die Zahlung bleibt erhalten und wird mit einer Gegenbuchung zurückgenommen; die Rechnung ist wieder offen, der Betrag wieder offen auf der Buchung.",
      requestParams: { path: intId("Bankbuchungs-ID") },
      body: pay.unassignBankEntryBody,
      conflict: "Zuordnung bereits aufgehoben",
    }),
  },
  "/api/manage/admin/bank-statements/entries/{id}/suggestions": {
    get: staff(T.payments, "Vorschläge: offene Rechnungen, nach Rechnungsnummer im Verwendungszweck, Betrag und Auftraggeber gereiht", {
      permission: "invoice.read",
      answer: b.bankEntrySuggestions,
      notFound: "entry",
      description: "?q= sucht Kunden nach Firma, Ansprechpartner, E-Mail, Domain (auch Unicode) und Rechnungsnummer.",
      requestParams: { path: intId("Bankbuchungs-ID"), query: pay.suggestionsQuery },
    }),
  },
  "/api/manage/admin/mails": {
    get: staff(T.mails, "Versandte und wartende E-Mails", { permission: "tenant.manage", answer: b.mailList, requestParams: { query: listMailsQuery } }),
  },
  "/api/manage/admin/mails/{id}/resend": { post: staff(T.mails, "E-Mail erneut senden", {
      permission: "tenant.manage",
      answer: b.mailResent,
      notFound: "mail",
      conflict: "Nicht fehlgeschlagen, bereits ersetzt, oder kein neuer Link/Code möglich (Anmeldung vorbei, Konto deaktiviert)",
      description:
        "Eine fehlgeschlagene Mail mit Link oder Code (Zurücksetzen, Einladung, Anmeldecode) wird ersetzt: der alte Link bzw. Code wird nie gesendet, ein neuer geht an die aktuelle Adresse des Kontos; die Antwort enthält nichts davon.",
      requestParams: { path: intId("Mail-ID") },
    }) },
};

const publicPaths: ZodOpenApiPathsObject = {
  "/api/v1/openapi.json": {
    get: {
      tags: ["v1 Anmeldung"],
      summary: "Dieses OpenAPI-Dokument",
      operationId: "getOpenApiDocument",
      security: [],
      responses: { "200": { description: "OpenAPI 3.1 (JSON)", content: json(z.object({ openapi: z.string() }).passthrough().meta({ description: "Offen: das Dokument selbst, beschrieben durch die OpenAPI-3.1-Spezifikation" })) }, "4XX": v1Err("Fehler im v1-Format") },
    },
  },
};

const HTTP_METHODS = ["get", "put", "post", "delete", "patch"] as const;

/** `post /api/manage/admin/instances/{id}/suspend` → `postManageAdminInstancesByIdSuspend` (unless the operation names itself). */
export function operationIdFor(method: string, apiPath: string) {
  const words = apiPath
    .replace(/^\/api\//, "")
    .split(/[/.-]/)
    .filter(Boolean)
    .map((part) => {
      const param = /^\{(\w+)\}$/.exec(part);
      const word = param ? `by-${param[1]}` : part;
      return word
        .split(/[-_]/)
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join("");
    });
  return method.toLowerCase() + words.join("");
}

type Responses = Record<string, { description: string; headers?: Record<string, unknown>; content?: unknown }>;

/**
 * The statuses every operation of a family can answer, whatever the handler does, added once here
 * so no operation forgets them: a JSON body is parsed by lib/http/body.ts (400 not JSON, 413 too
 * large, 422 invalid), so is a query (422); a database outage is 503. Every 429 and 503 carries
 * Retry-After (RateLimitError, ServiceUnavailableError), and the document promises it.
 */
function withCommonResponses(apiPath: string, op: ZodOpenApiOperationObject): ZodOpenApiOperationObject {
  if (apiPath === "/api/v1/openapi.json") return op;
  const err = apiPath.startsWith("/api/v1/") ? v1Err : mErr;
  const responses: Responses = { ...(op.responses as Responses) };
  const hasJsonBody = Boolean((op.requestBody as { content?: Record<string, unknown> } | undefined)?.content?.["application/json"]);
  const hasQuery = Boolean((op.requestParams as { query?: unknown } | undefined)?.query);
  if (hasJsonBody) {
    responses["400"] ??= err("Anfrageinhalt ist kein gültiges JSON-Objekt");
    responses["413"] ??= err("Anfrageinhalt zu groß");
  }
  if (hasJsonBody || hasQuery) responses["422"] ??= err("Ungültige Eingaben (errors je Feld)");
  responses["503"] ??= err("Datenbank vorübergehend nicht erreichbar; Retry-After");
  for (const status of ["429", "503"]) {
    if (responses[status]) responses[status] = { ...responses[status], headers: { ...RETRY_AFTER, ...responses[status].headers } };
  }
  return { ...op, responses: responses as ZodOpenApiOperationObject["responses"] };
}

function withOperationIds(paths: ZodOpenApiPathsObject): ZodOpenApiPathsObject {
  return Object.fromEntries(
    Object.entries(paths).map(([apiPath, item]) => {
      const copy: Record<string, unknown> = { ...item };
      for (const method of HTTP_METHODS) {
        const op = copy[method] as ZodOpenApiOperationObject | undefined;
        if (op) copy[method] = withCommonResponses(apiPath, { operationId: operationIdFor(method, apiPath), ...op });
      }
      return [apiPath, copy];
    }),
  );
}

/** The paths with their zod schemas (before conversion): tests validate live answers against them. */
export const openApiPaths: ZodOpenApiPathsObject = withOperationIds({ ...v1Paths, ...publicPaths, ...managePaths, ...staffPaths, ...filesPaths, ...sepaPaths });

const TAGS: { name: string; description: string }[] = [
  { name: "v1 Anmeldung", description: "Anmelden, Code der Zwei-Faktor-Anmeldung bestätigen, Schlüssel erneuern, abmelden" },
  { name: "v1 API-Schlüssel", description: "Persönliche API-Schlüssel (mpat_…) für Skripte, mit Scope read oder read_write" },
  { name: "v1 Konto", description: "Eigenes Konto: Zwei-Faktor-Anmeldung, Authenticator-App, Passkeys, Sitzungen" },
  { name: "v1 Hosts", description: "Server des Tenants: ansehen, trennen, Neustart und andere Server-Aktionen" },
  { name: "v1 Tenants", description: "Tenants (Instanzen) – nur für MSP-Mitarbeiter" },
  { name: "v1 Aktivität", description: "Aktivitätsprotokoll des Tenants" },
  { name: "v1 Webhooks", description: "Ereignisse an eigene Server (Standard Webhooks, signiert): Endpunkte anlegen, Secret erneuern, Testereignis, Zustellprotokoll" },
  { name: "v1 Rechnungen", description: "Rechnungen des Tenants als JSON, PDF-Daten und E-Rechnung" },
  { name: "Manage-API", description: "Die Schnittstelle, die auch das Kundenportal verwendet: Anmeldung mit POST /api/manage/auth/login, danach der Sitzungsschlüssel im Kopf Authorization: Bearer …; bei gesperrter Instanz nur /auth/* und /status" },
  { name: "Dateien", description: "Downloads über signierte, kurzlebige Links ohne Sitzung (Rechnungs-PDFs für gesperrte Instanzen)" },
  { name: T.dashboard, description: "Kennzahlen für MSP-Mitarbeiter" },
  { name: T.instances, description: "Instanzen anlegen, ändern, sperren, Server verknüpfen und steuern, Ansicht als Kunde" },
  { name: T.users, description: "Benutzer einladen, Rollen setzen, aktivieren/deaktivieren, 2FA zurücksetzen" },
  { name: T.invoices, description: "Rechnungsentwürfe, Ausstellen, Storno, Zahlungen, PDF und E-Rechnung" },
  { name: T.billing, description: "Abrechnungspositionen je Instanz, Einstellungen und monatliche Abrechnungsläufe" },
  { name: T.dunning, description: "Mahnstufen, Fristen und Pausen je Instanz" },
  { name: T.payments, description: "Kontoauszüge (CAMT.053) einlesen und Buchungen Rechnungen zuordnen" },
  { name: T.mails, description: "Ausgehende E-Mails ansehen und erneut senden" },
  { name: T.tiers, description: "Tarife mit Preisen und Limits" },
];

let cached: ReturnType<typeof createDocument> | undefined;

export function openApiDocument() {
  cached ??= createDocument({
    openapi: "3.1.0",
    info: {
      title: "Manage-Portal API",
      version: "1.0.0",
      description:
        "API v1 (JWT mit einmal gültigem Refresh-Token, Zwei-Faktor-Anmeldung, persönliche API-Schlüssel, Permissions, Tenant-Scope) und die Manage-API des Kundenportals samt MSP-Verwaltung (/api/manage/admin). " +
        "Fehler der API v1: { detail: { error, message, … } }; fehlende Permission: { detail: { error: \"permission_denied\", missing } } mit 403. " +
        "Fehler der Manage-API: { message, errors? }.",
    },
    // Relative: the document is served by the portal it describes (/api/v1/openapi.json), so "/" is that portal's
    // address – in production, behind the proxy and on a developer's machine alike.
    servers: [{ url: "/", description: "Dieses Portal (die Adresse, unter der dieses Dokument abgerufen wurde)" }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT oder Personal Access Token (mpat_…)" },
        session: { type: "http", scheme: "bearer", description: "Session-Token aus /api/manage/auth/login (Kundenportal und MSP-Verwaltung /api/manage/admin)" },
      },
    },
    tags: TAGS,
    paths: openApiPaths,
    webhooks: webhookSection,
  });
  return cached;
}
