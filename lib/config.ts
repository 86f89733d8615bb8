import { isValidCreditorId, normalizeCreditorId } from "./creditor-id";
import { z } from "./validation";

/**
 * Application configuration, read from the environment and validated once.
 * Development defaults let a fresh clone run without any `.env`; in production
 * the secrets have no defaults and a missing one stops the start with a message
 * naming the variable.
 */
const isProduction = process.env.NODE_ENV === "production" && process.env.APP_ENV !== "test";

const devDefault = <T extends z.ZodTypeAny>(schema: T, fallback: string) =>
  isProduction ? schema : z.preprocess((v) => (v === undefined || v === "" ? fallback : v), schema);

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const configSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  PGLITE_DIR: z.string().default(".data/pglite"),
  APP_URL: z.string().url().default("http://localhost:3000"),
  AUTH_SECRET: devDefault(z.string().min(32, "muss mindestens 32 Zeichen lang sein"), "dev-only-auth-secret-change-me-0123456789"),
  SESSION_TTL_HOURS: z.coerce.number().positive().max(24 * 90).default(24),
  RESET_TOKEN_TTL_MINUTES: z.coerce.number().int().positive().max(24 * 60).default(60),
  /** Validity of the set-password link in staff invitations. */
  INVITE_TOKEN_TTL_HOURS: z.coerce.number().int().positive().max(24 * 30).default(72),
  /** Proxies in front of the app that append to X-Forwarded-For; 0 = the socket's peer address counts (no header is trusted). */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(64 * 1024),
  MSP_DOMAIN: z.string().min(3).default("myit.center"),
  MSP_NAME: z.string().default("MyIT Center GmbH"),
  MSP_SUPPORT_EMAIL: z.string().email().default("support@myit.center"),
  MAIL_FROM: z.string().default("Manage Portal <no-reply@myit.center>"),
  RESEND_API_KEY: z.string().optional(),
  MAIL_TRANSPORT: z.enum(["resend", "outbox"]).optional(),
  APP_VERSION: z.string().default("1.2.3"),
  PORTAL_VERSION: z.string().default("1.0.0"),
  HCLOUD_TOKEN: z.string().optional(),
  /** Hetzner Cloud API base URL (scripts/serve.ts points it at the local simulator). */
  HCLOUD_ENDPOINT: z.string().url().default("https://api.hetzner.cloud/v1"),
  HCLOUD_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Hetzner circuit breaker: consecutive failures (timeout, no answer, 5xx) after which calls fail fast … */
  HETZNER_BREAKER_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  /** … for this many seconds (then one trial call decides). */
  HETZNER_BREAKER_OPEN_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** First wait before the client retries a Hetzner `conflict` (then doubled, with jitter; lib/hetzner/client.ts). */
  HETZNER_RETRY_BASE_MS: z.coerce.number().int().min(1).max(10_000).default(1000),
  /** Background server sync: read every linked server from Hetzner this often (divisor of 60 or a multiple of 60). */
  SERVER_SYNC_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(1440).default(5),
  /** Health probe of each instance's portal and MeshCentral URL: path, timeout, minutes of failure before mail. */
  HEALTH_PROBE_PATH: z.string().startsWith("/", "muss mit / beginnen").default("/"),
  HEALTH_PROBE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  HEALTH_ALERT_AFTER_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(5),
  /** Where probes go; `{host}` and `{path}` are replaced. The demo points it at a local stand-in. */
  HEALTH_PROBE_URL_TEMPLATE: z.string().includes("{host}", { message: "muss {host} enthalten" }).default("https://{host}{path}"),
  /**
   * Local GeoIP database (MaxMind DB format: GeoLite2-City/-Country or DB-IP Lite, `.mmdb`) for the approximate
   * place of a session's IP address; unset = no place is shown. Never looked up over the network.
   */
  GEOIP_DATABASE: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
  /** After this many days IP addresses in the activity log and in sessions are anonymised (DSGVO). */
  IP_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** How long a graceful (ACPI) shutdown may take before the portal offers a forced power off. */
  SERVER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().positive().max(3600).default(120),
  /** How long after Hetzner confirmed the reboot signal the server may take to report `running` again. */
  SERVER_REBOOT_GRACE_SECONDS: z.coerce.number().int().positive().max(3600).default(300),
  DEV_TOOLS: bool.optional(),
  /** DNS servers for the CNAME check, comma/space separated ("1.1.1.1, 127.0.0.1:5354"); empty = system resolvers. */
  DNS_RESOLVERS: z.string().optional(),
  DNS_TIMEOUT_MS: z.coerce.number().int().positive().max(30_000).default(2000),
  /** The instance servers' configuration endpoint (agent) that applies custom domains. */
  INSTANCE_AGENT_URL: devDefault(z.string().url(), "http://127.0.0.1:4020"),
  INSTANCE_AGENT_SECRET: devDefault(z.string().min(16, "muss mindestens 16 Zeichen lang sein"), "dev-instance-agent-secret"),
  INSTANCE_AGENT_TIMEOUT_MS: z.coerce.number().int().positive().max(120_000).default(10_000),
  // API v1 (JWT): "kid:secret" pairs, comma-separated; the first signs, all verify (key rotation).
  JWT_SIGNING_KEYS: devDefault(z.string().min(1), "dev-2026:dev-only-jwt-secret-change-me-0123456789abcdef"),
  JWT_ISSUER: z.string().min(1).default("manage-portal"),
  JWT_AUDIENCE: z.string().min(1).default("manage-api-v1"),
  JWT_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(600).default(30),
  JWT_ACCESS_TTL_SECONDS: z.coerce.number().int().positive().max(7 * 24 * 3600).default(86400),
  JWT_REFRESH_TTL_DAYS: z.coerce.number().int().positive().max(365).default(30),
  TWO_FACTOR_CODE_TTL_MINUTES: z.coerce.number().int().positive().max(60).default(10),
  /** Bearer token for GET /api/metrics; unset = the endpoint answers 404. */
  METRICS_TOKEN: z.string().min(16, "muss mindestens 16 Zeichen lang sein").optional(),
  /** How long a stopping process waits for running requests and jobs (SIGTERM). */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().max(300_000).default(10_000),
  /** Run the pg-boss workers inside the web process (default: only on the embedded PGlite, i.e. `npm run demo`). */
  JOBS_IN_PROCESS: bool.optional(),
  /**
   * Every MSP staff account must use an authenticator app or a passkey; without one, a sign-in leads only to
   * setting it up. Default: on in production, off in development and the demo (so its printed logins work).
   */
  STAFF_REQUIRE_SECOND_FACTOR: bool.optional(),
  /** Webhook targets on loopback or private networks (tests, the demo's local receiver). Ignored in production. */
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: bool.optional(),
  /** Webhook delivery: timeout of one HTTP attempt in milliseconds. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /**
   * SEPA direct debit: the creditor identifier (Gläubiger-ID of the Bundesbank, e.g. DE98ZZZ09999999999; check
   * digits ISO 7064 mod 97-10). Unset = no mandates can be granted (development: the Bundesbank's test ID).
   */
  SEPA_CREDITOR_ID: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .transform(normalizeCreditorId)
      .refine(isValidCreditorId, "ist keine gültige Gläubiger-Identifikationsnummer (Prüfziffer nach ISO 7064 mod 97-10)")
      .optional(),
  ),
  /** Days between invoice date and the announced collection date of a direct debit (pre-notification lead time). */
  SEPA_PRENOTIFICATION_DAYS: z.coerce.number().int().min(1).max(60).default(5),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type AppConfig = z.infer<typeof configSchema> & {
  mailTransport: "resend" | "outbox";
  devTools: boolean;
  /** Webhooks may target loopback and private networks: never in production. */
  webhooksAllowPrivateTargets: boolean;
  /** Staff need an authenticator app or a passkey (STAFF_REQUIRE_SECOND_FACTOR, default on in production). */
  staffRequireSecondFactor: boolean;
};

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = issue.path.join(".") || "(root)";
      const problem = env[name] === undefined || env[name] === "" ? "fehlt (in Produktion Pflicht)" : issue.message;
      return `  - ${name}: ${problem}`;
    });
    throw new ConfigError(`Ungültige Konfiguration (Umgebungsvariablen):\n${lines.join("\n")}`);
  }
  const c = result.data;
  const mailTransport = c.MAIL_TRANSPORT ?? (c.RESEND_API_KEY ? "resend" : "outbox");
  if (mailTransport === "resend" && !c.RESEND_API_KEY) {
    throw new ConfigError("Ungültige Konfiguration: RESEND_API_KEY fehlt für MAIL_TRANSPORT=resend");
  }
  // Production never guesses the mail transport: without Resend every reset link and 2FA code would sit in a table.
  const production = env.NODE_ENV === "production" && env.APP_ENV !== "test";
  if (production && !c.MAIL_TRANSPORT && !c.RESEND_API_KEY) {
    throw new ConfigError(
      "Ungültige Konfiguration: RESEND_API_KEY fehlt. In Produktion braucht das Portal einen Mailversand " +
        "(oder ausdrücklich MAIL_TRANSPORT=outbox: Mails bleiben im Postausgang, nur für angemeldete MSP-Mitarbeiter lesbar).",
    );
  }
  // Development tools (dev outbox, simulators) never run in production, whatever DEV_TOOLS says.
  // Webhook targets in private networks only on explicit request and never in production (SSRF into the MSP's network).
  const webhooksAllowPrivateTargets = production ? false : (c.WEBHOOKS_ALLOW_PRIVATE_TARGETS ?? false);
  const staffRequireSecondFactor = c.STAFF_REQUIRE_SECOND_FACTOR ?? production;
  // Outside production the Bundesbank's test creditor ID stands in, so the demo can grant mandates.
  const SEPA_CREDITOR_ID = c.SEPA_CREDITOR_ID ?? (production ? undefined : "DE98ZZZ09999999999");
  return { ...c, SEPA_CREDITOR_ID, mailTransport, devTools: production ? false : (c.DEV_TOOLS ?? true), webhooksAllowPrivateTargets, staffRequireSecondFactor };
}

let cached: AppConfig | undefined;

export function config(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}

/** Tests change the environment between cases; this forgets the parsed copy. */
export function resetConfigForTests() {
  cached = undefined;
}
