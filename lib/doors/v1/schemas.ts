import "zod-openapi";
import { emailField, passwordField, z } from "@/lib/validation";

/** Request and response schemas of API v1: the handlers validate with them and the OpenAPI document is generated from them. */

/** A timestamp as `apiTimestamp` writes it (lib/time.ts). */
export const apiTimestampField = () =>
  z.string().meta({ format: "date-time", description: "UTC, ganze Sekunden", example: "2026-03-04T10:00:00+00:00" });

export const loginBody = z
  .object({ email: emailField, password: passwordField })
  .meta({ id: "LoginRequest", example: { email: "admin@firma.de", password: "demo-passwort" } });

export const tokenResponse = z
  .object({
    access_token: z.string().meta({ description: "JWT (HS256) mit exp, iat, sub, tenant_id, tenant_scope, iss, aud" }),
    refresh_token: z.string().meta({ description: "Single-Use-Refresh-Token (JWT); wird bei /auth/refresh ersetzt" }),
    token_type: z.literal("bearer"),
    expires_in: z.number().int().meta({ description: "Gültigkeit des Access-Tokens in Sekunden", example: 86400 }),
  })
  .meta({ id: "TokenResponse" });

export const twoFactorRequiredResponse = z
  .object({
    two_fa_required: z.literal(true),
    challenge_token: z.string().meta({ example: "tx_…" }),
    methods: z
      .array(z.enum(["email", "totp", "recovery_code"]))
      .optional()
      .meta({ description: "Nur bei Konten mit Authenticator-App/Passkey: welche Codes /2fa/verify annimmt. Fehlt bei reiner E-Mail-2FA." }),
  })
  .meta({
    id: "TwoFactorRequired",
    description: "E-Mail-2FA: Der Server hat eine Mail mit einem 8-stelligen Code verschickt. Authenticator-App: 6-stelliger Code aus der App (keine Mail) oder Wiederherstellungscode.",
  });

export const verifyTwoFactorBody = z
  .object({
    challenge_token: z
      .string({ error: "Bitte den challenge_token angeben." })
      .min(1, { error: "Bitte den challenge_token angeben." })
      .max(200, { error: "Der challenge_token ist ungültig." }),
    code: z
      .string({ error: "Bitte den Code angeben." })
      .trim()
      .regex(/^(\d{8}|\d{6}|[a-zA-Z0-9]{5}-?[a-zA-Z0-9]{5})$/, {
        error: "Der Code besteht aus 8 Ziffern (E-Mail), 6 Ziffern (Authenticator-App) oder ist ein Wiederherstellungscode.",
      })
      .meta({ description: "8 Ziffern aus der E-Mail, 6 Ziffern aus der Authenticator-App oder ein Wiederherstellungscode (xxxxx-xxxxx)" }),
    method: z
      .enum(["email", "totp", "recovery_code"], { error: "method muss „email“, „totp“ oder „recovery_code“ sein." })
      .optional()
      .meta({ description: "Optional; ohne Angabe entscheidet die Form des Codes" }),
  })
  .meta({ id: "TwoFactorVerifyRequest", example: { challenge_token: "tx_…", code: "12345678" } });

export const apiKeyScope = z.enum(["read", "read_write"], { error: "Der Scope muss „read“ oder „read_write“ sein." });

export const createApiKeyBody = z
  .object({
    name: z
      .string({ error: "Bitte einen Namen angeben." })
      .trim()
      .min(1, { error: "Bitte einen Namen angeben." })
      .max(100, { error: "Der Name darf höchstens 100 Zeichen lang sein." }),
    scope: apiKeyScope,
    expires_at: z.iso
      .datetime({ offset: true, error: "Das Ablaufdatum muss ein ISO-8601-Zeitpunkt sein (z. B. 2027-01-01T00:00:00Z)." })
      .nullable()
      .optional()
      .meta({ description: "Ablaufzeitpunkt (ISO 8601); null oder weglassen = kein Ablauf" }),
  })
  .meta({ id: "CreateApiKeyRequest", example: { name: "deploy-script", scope: "read_write", expires_at: "2027-01-01T00:00:00Z" } });

export const apiKey = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    scope: apiKeyScope,
    prefix: z.string().meta({ description: "Anfang des Tokens zum Wiedererkennen", example: "mpat_AbCd1234" }),
    created_at: apiTimestampField(),
    last_used_at: apiTimestampField().nullable(),
    expires_at: apiTimestampField().nullable(),
    status: z.enum(["active", "expired", "revoked"]),
  })
  .meta({ id: "ApiKey" });

export const createdApiKey = apiKey
  .extend({
    token: z.string().meta({ description: "Klartext-Token – wird genau einmal angezeigt", example: "mpat_…" }),
    message: z.string().meta({ description: "Hinweis, den Token jetzt zu speichern" }),
  })
  .meta({ id: "CreatedApiKey" });

export const twoFactorSettingsBody = z
  .object({
    enabled: z.boolean({ error: "enabled muss true oder false sein." }),
    password: passwordField,
  })
  .meta({ id: "TwoFactorSettingsRequest" });

export const sessionItem = z
  .object({
    id: z.string(),
    kind: z.enum(["browser", "manage_api", "api_v1"]),
    kind_label: z.string(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    device: z.string().meta({ description: "Gerät aus dem User-Agent, z. B. „Chrome auf Linux“; sonst „Unbekanntes Gerät“", example: "Chrome auf Linux" }),
    approximate_location: z.string().nullable().meta({
      description:
        "Ungefährer Ort der IP-Adresse aus der lokalen GeoIP-Datenbank des Betreibers (GEOIP_DATABASE), deutsch benannt: „Stadt, Land“ oder nur „Land“. null ohne Datenbank, für private Adressen und unbekannte IPs; nie per Netzwerk-Abfrage ermittelt.",
      example: "Nürnberg, Deutschland",
    }),
    created_at: apiTimestampField(),
    last_used_at: apiTimestampField(),
    current: z.boolean(),
  })
  .meta({ id: "Session" });

export const tenantQuery = z.object({
  tenant_id: z
    .string()
    .uuid()
    .optional()
    .meta({ description: "Ohne Angabe: der eigene Tenant; MSP-Mitarbeiter (ohne eigenen Tenant) sehen dann alle Tenants. Mit Angabe: nur dieser Tenant (andere als der eigene nur für MSP-Mitarbeiter, sonst 403 tenant_forbidden)." }),
});

export const idParam = z.object({ id: z.string() });

/** Every field a v1 error carries (lib/doors/v1/errors.ts maps the domain errors' details into `detail`). */
export const errorResponse = z
  .object({
    detail: z
      .object({
        error: z.string().meta({ example: "permission_denied" }),
        message: z.string().optional(),
        missing: z.string().optional().meta({ description: "permission_denied: die fehlende Permission" }),
        errors: z.record(z.string(), z.array(z.string())).optional().meta({ description: "422: Fehlermeldungen je Feld" }),
        attempts_remaining: z.number().int().optional(),
        retry_after: z.number().int().optional().meta({ description: "429/503: Sekunden (auch im Header Retry-After)" }),
        required_scope: z.string().optional().meta({ description: "insufficient_scope: der nötige Scope" }),
        reauthentication_required: z.literal(true).optional(),
        second_factor_setup_required: z.literal(true).optional(),
        setup_path: z.string().optional(),
        suspended: z.literal(true).optional(),
        read_only: z.literal(true).optional(),
        two_fa_required: z.literal(true).optional(),
      })
      .strict(),
    attempts_remaining: z.number().int().optional(),
  })
  .strict()
  .meta({ id: "V1Error", example: { detail: { error: "permission_denied", missing: "host.delete" } } });

/**
 * The server's place. Hetzner no longer has a datacenter field (only the
 * location); the field keeps its name for existing clients and holds the
 * location name.
 */
export const datacenterField = z.string().nullable().meta({
  description:
    "Standort des Servers: der Name der Hetzner-Location (z. B. nbg1, fsn1, hel1). Hetzner liefert seit dem 01.07.2026 kein Rechenzentrum (datacenter) mehr; das Feld behält seinen Namen und enthält location.name.",
  example: "nbg1",
});

/** Server status of the portal (from Hetzner's status; values Hetzner adds later show as unknown). */
export const serverStatusField = z.string().meta({
  description:
    "online, off, starting, stopping, rebooting, initializing, migrating, rebuilding, deleting, unknown (auch für Status, die Hetzner neu einführt), none (kein Server)",
  example: "online",
});

export const host = z
  .object({
    id: z.number().int().meta({ description: "Hetzner-Server-ID" }),
    tenant_id: z.string().uuid(),
    tenant_name: z.string(),
    name: z.string().nullable(),
    status: serverStatusField,
    status_label: z.string(),
    health_status: z.string(),
    ipv4: z.string().nullable(),
    server_type: z.string().nullable(),
    datacenter: datacenterField,
    last_synced_at: apiTimestampField().nullable(),
  })
  .meta({ id: "Host" });

export const hostAction = z.enum(["reboot", "power-off", "power-on", "refresh-status"]);

export const tenant = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    company_name: z.string(),
    status: z.string(),
    status_label: z.string(),
    pricing_tier: z.string(),
    suspended: z.boolean(),
    suspended_reason: z.string().nullable(),
    portal_domain: z.string(),
    meshcentral_domain: z.string(),
    created_at: apiTimestampField(),
  })
  .meta({ id: "Tenant" });

export const linkHostBody = z
  .object({
    hetzner_server_id: z
      .number({ error: "hetzner_server_id muss eine Zahl sein." })
      .int({ error: "hetzner_server_id muss eine ganze Zahl sein." })
      .min(1, { error: "hetzner_server_id muss positiv sein." })
      .max(2_147_483_647, { error: "Diese Hetzner-Server-ID ist zu groß." }),
  })
  .meta({ id: "LinkHostRequest" });

export const suspendBody = z
  .object({
    reason: z
      .string({ error: "Bitte einen Grund angeben." })
      .trim()
      .min(1, { error: "Bitte einen Grund angeben." })
      .max(500, { error: "Der Grund darf höchstens 500 Zeichen lang sein." }),
  })
  .meta({ id: "SuspendRequest" });

export const activityEntry = z
  .object({
    id: z.number().int(),
    action: z.string(),
    action_label: z.string().meta({ description: "Deutsche Bezeichnung der Aktion" }),
    description: z.string(),
    level: z.enum(["info", "warning", "error"]),
    actor: z.string().nullable(),
    actor_type: z.enum(["user", "staff", "anonymous", "system"]).meta({ description: "Wer handelte: Benutzer, MSP-Mitarbeiter, anonym oder das System" }),
    created_at: apiTimestampField(),
  })
  .strict()
  .meta({ id: "ActivityEntry" });

export const paginationMeta = z
  .object({
    current_page: z.number().int(),
    last_page: z.number().int(),
    per_page: z.number().int(),
    total: z.number().int(),
    total_capped: z.boolean().optional().meta({ description: "Nur bei gefilterten Listen: total ist auf eine Obergrenze gekappt" }),
  })
  .strict()
  .meta({ id: "PaginationMeta" });

/** The user of /auth/me (both APIs). */
export const meUser = z
  .object({
    id: z.string().uuid(),
    email: z.string(),
    name: z.string(),
    staff: z.boolean(),
    roles: z.array(z.object({ key: z.string(), label: z.string() }).strict()),
    permissions: z.array(z.string()),
  })
  .strict()
  .meta({ id: "MeUser" });

/** The instance as `presentInstance` shows it: the manage login's answer (null for MSP staff). */
export const loginInstance = z
  .object({
    id: z.number().int(),
    name: z.string(),
    company_name: z.string(),
    status: z.string(),
    status_label: z.string(),
    pricing_tier: z.string(),
    pricing_tier_label: z.string(),
    portal_url: z.string(),
    meshcentral_url: z.string(),
  })
  .strict()
  .meta({ id: "LoginInstance" });

/** The instance of /auth/me: the login's fields plus the suspension. */
export const meInstance = loginInstance
  .extend({ suspended: z.boolean(), suspended_reason: z.string().nullable() })
  .strict()
  .meta({ id: "MeInstance" });

/** A staff member's read-only customer view ("Ansicht als Kunde"). */
export const impersonationView = z
  .object({ instance_id: z.number().int(), instance_name: z.string(), company_name: z.string(), started_at: apiTimestampField(), read_only: z.literal(true) })
  .strict()
  .meta({ id: "Impersonation" });

export const v1Me = z
  .object({
    user: meUser,
    instance: meInstance.nullable(),
    impersonation: impersonationView.nullable(),
    tenant_id: z.string().uuid().nullable(),
    tenant_scope: z.string().uuid().nullable().meta({ description: "Der Tenant, auf den der Token beschränkt ist; null für MSP-Mitarbeiter" }),
    two_factor_enabled: z.boolean(),
    auth: z.object({ via: z.enum(["jwt", "pat", "browser"]).meta({ description: "jwt (Anmeldung), pat (API-Schlüssel) oder browser (Portal-Sitzung)" }), scope: z.enum(["read", "read_write"]).nullable().meta({ description: "Scope des API-Schlüssels; sonst null" }) }).strict(),
  })
  .strict()
  .meta({ id: "V1Me" });

export const passkey = z
  .object({ id: z.string().uuid(), name: z.string(), created_at: apiTimestampField(), last_used_at: apiTimestampField().nullable() })
  .strict()
  .meta({ id: "Passkey" });

export const secondFactorOverview = z
  .object({
    two_factor_enabled: z.boolean().meta({ description: "E-Mail-2FA an" }),
    email: z.string(),
    totp_enabled: z.boolean(),
    passkeys: z.number().int().meta({ description: "Anzahl der Passkeys" }),
    recovery_codes_remaining: z.number().int(),
    methods: z.array(z.string()),
    email_confirmation: z.object({ sent_to: z.string(), expires_at: apiTimestampField(), expired: z.boolean() }).strict().nullable(),
  })
  .strict()
  .meta({ id: "SecondFactorOverview" });
