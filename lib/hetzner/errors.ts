/**
 * Typed errors of the Hetzner Cloud client.
 *
 * Every error thrown by the client is an instance of {@link HetznerError}. The
 * `code` is Hetzner's error code (e.g. `locked`, `not_found`) or one of the
 * client-side codes (`timeout`, `network_error`, `invalid_response`,
 * `action_failed`, `config_error`). `status` is the HTTP status, when there
 * was an HTTP answer. `userMessage` is a German text that may be shown to end
 * users; `message` is an English technical text for logs. Neither ever
 * contains the API token.
 */

export interface HetznerErrorOptions {
  code: string;
  message: string;
  userMessage?: string;
  status?: number;
  details?: unknown;
  retryable?: boolean;
  cause?: unknown;
}

export class HetznerError extends Error {
  /** Hetzner error code (`error.code` of the API body) or client-side code. */
  readonly code: string;
  /** HTTP status of the answer, `undefined` when no answer was received. */
  readonly status: number | undefined;
  /** German message that can be shown to end users. */
  readonly userMessage: string;
  /** `error.details` of the API body, if any. */
  readonly details: unknown;
  /** Whether retrying the same request later may succeed. */
  readonly retryable: boolean;

  constructor(opts: HetznerErrorOptions) {
    super(opts.message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code;
    this.status = opts.status;
    this.userMessage =
      opts.userMessage ?? "Bei der Kommunikation mit Hetzner ist ein Fehler aufgetreten.";
    this.details = opts.details;
    this.retryable = opts.retryable ?? false;
  }
}

type SubOptions = Omit<HetznerErrorOptions, "code"> & { code?: string };

function withDefaults<T extends SubOptions>(
  opts: T,
  code: string,
  userMessage: string,
): T & { code: string; userMessage: string } {
  return { ...opts, code: opts.code ?? code, userMessage: opts.userMessage ?? userMessage };
}

/** 401 `unauthorized`, 403 `forbidden` / `token_readonly`. */
export class HetznerAuthError extends HetznerError {
  constructor(opts: SubOptions) {
    super({
      ...withDefaults(opts, "unauthorized", "Der Zugriff auf die Hetzner-API wurde verweigert. Bitte den API-Token prüfen."),
      retryable: false,
    });
  }
}

/** 404 `not_found`. */
export class HetznerNotFoundError extends HetznerError {
  constructor(opts: SubOptions) {
    super({
      ...withDefaults(opts, "not_found", "Der Hetzner-Server wurde nicht gefunden."),
      retryable: false,
    });
  }
}

/** 423 `locked`: another action is still running on the resource. */
export class HetznerLockedError extends HetznerError {
  constructor(opts: SubOptions) {
    super({
      ...withDefaults(opts, "locked", "Der Hetzner-Server ist gerade gesperrt, weil noch eine Aktion läuft."),
      retryable: true,
    });
  }
}

/**
 * 423 `resource_locked`: Hetzner itself has locked the resource (not an action
 * of ours); only Hetzner's support can lift it. Not `locked`, which only means
 * that an action is still running.
 */
export class HetznerResourceLockedError extends HetznerError {
  constructor(opts: SubOptions) {
    super({
      ...withDefaults(opts, "resource_locked", "Der Server ist bei Hetzner gesperrt und kann gerade nicht gesteuert werden. Bitte den Support kontaktieren."),
      retryable: false,
    });
  }
}

/** 403 `protected`: the server's delete or rebuild protection forbids the action. */
export class HetznerProtectedError extends HetznerError {
  constructor(opts: SubOptions) {
    super({
      ...withDefaults(opts, "protected", "Der Server ist bei Hetzner gegen diese Aktion geschützt (Lösch- bzw. Neuaufbau-Schutz)."),
      retryable: false,
    });
  }
}

/** 410 `deprecated_api_endpoint`: Hetzner has switched off an endpoint the portal still calls. */
export class HetznerDeprecatedEndpointError extends HetznerError {
  constructor(opts: SubOptions) {
    super({
      ...withDefaults(opts, "deprecated_api_endpoint", "Das Portal nutzt eine Hetzner-Schnittstelle, die Hetzner abgeschaltet hat. Bitte den Support kontaktieren."),
      retryable: false,
    });
  }
}

/**
 * 409 `conflict` / `uniqueness_error`. `conflict` means the resource changed
 * while Hetzner handled the request and nothing was done: the client retries it
 * with back-off (like Hetzner's own client); this error is what remains when
 * every retry met a conflict too.
 */
export class HetznerConflictError extends HetznerError {
  constructor(opts: SubOptions) {
    super({
      ...withDefaults(opts, "conflict", "Hetzner hat die Anfrage wegen einer gleichzeitigen Änderung am Server abgelehnt. Bitte in einigen Sekunden erneut versuchen."),
      retryable: true,
    });
  }
}

/** 400 `invalid_input` / `json_error` / `unsupported_error`. */
export class HetznerInvalidInputError extends HetznerError {
  constructor(opts: SubOptions) {
    super({
      ...withDefaults(opts, "invalid_input", "Die Anfrage an Hetzner war ungültig."),
      retryable: false,
    });
  }
}

export interface HetznerRateLimitInfo {
  /** `RateLimit-Limit` header. */
  limit: number | null;
  /** `RateLimit-Remaining` header. */
  remaining: number | null;
  /** `RateLimit-Reset` header (UNIX timestamp) as Date. */
  resetAt: Date | null;
}

/** 429 `rate_limit_exceeded`. */
export class HetznerRateLimitError extends HetznerError {
  /** Seconds to wait before the next request should succeed. */
  readonly retryAfterSeconds: number;
  readonly rateLimit: HetznerRateLimitInfo;

  constructor(opts: SubOptions & { retryAfterSeconds: number; rateLimit: HetznerRateLimitInfo }) {
    super({
      ...withDefaults(opts, "rate_limit_exceeded", "Zu viele Anfragen an Hetzner. Bitte in einigen Sekunden erneut versuchen."),
      status: opts.status ?? 429,
      retryable: true,
    });
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.rateLimit = opts.rateLimit;
  }
}

/**
 * Client-side timeout (no complete answer within `timeoutMs`, or an action did
 * not finish within the wait timeout) and Hetzner's 504 `timeout`.
 */
export class HetznerTimeoutError extends HetznerError {
  constructor(opts: SubOptions) {
    super({
      ...withDefaults(opts, "timeout", "Hetzner hat nicht rechtzeitig geantwortet. Bitte später erneut versuchen."),
      retryable: true,
    });
  }
}

/** 5xx `server_error` (and any other 5xx without a more specific class). */
export class HetznerServerError extends HetznerError {
  constructor(opts: SubOptions) {
    super({
      ...withDefaults(opts, "server_error", "Bei Hetzner ist ein interner Fehler aufgetreten. Bitte später erneut versuchen."),
      retryable: true,
    });
  }
}

/** 503 `unavailable` / `service_error` / `maintenance`. */
export class HetznerUnavailableError extends HetznerServerError {
  constructor(opts: SubOptions) {
    super({
      ...withDefaults(opts, "unavailable", "Die Hetzner-API ist vorübergehend nicht erreichbar. Bitte später erneut versuchen."),
    });
  }
}

/** Connection refused, DNS failure, reset connection … (no HTTP answer). */
export class HetznerNetworkError extends HetznerError {
  constructor(opts: SubOptions) {
    super({
      ...withDefaults(opts, "network_error", "Die Hetzner-API ist nicht erreichbar. Bitte später erneut versuchen."),
      retryable: true,
    });
  }
}

/** The answer was not JSON or did not match the expected schema. */
export class HetznerResponseValidationError extends HetznerError {
  constructor(opts: SubOptions) {
    super({
      ...withDefaults(opts, "invalid_response", "Hetzner hat eine unerwartete Antwort geliefert."),
      retryable: false,
    });
  }
}

/** Missing token / invalid base URL / invalid server id (client-side). */
export class HetznerConfigError extends HetznerError {
  constructor(opts: SubOptions) {
    super({
      ...withDefaults(opts, "config_error", "Die Hetzner-Anbindung ist nicht korrekt konfiguriert."),
      retryable: false,
    });
  }
}

/** An action finished with `status: "error"`; `actionError` is its `error` object. */
export class HetznerActionFailedError extends HetznerError {
  readonly actionId: number;
  readonly actionError: { code: string; message: string };

  constructor(opts: SubOptions & { actionId: number; actionError: { code: string; message: string } }) {
    super({
      ...withDefaults(opts, "action_failed", "Die Aktion auf dem Hetzner-Server ist fehlgeschlagen."),
      retryable: false,
    });
    this.actionId = opts.actionId;
    this.actionError = opts.actionError;
  }
}

/**
 * The client's circuit breaker is open: the last calls to Hetzner failed in a
 * row (no answer, timeout, 5xx), so this call was not even tried.
 */
export class HetznerCircuitOpenError extends HetznerError {
  /** Seconds until the breaker lets a trial call through again. */
  readonly retryAfterSeconds: number;

  constructor(opts: SubOptions & { retryAfterSeconds: number }) {
    super({
      ...withDefaults(
        opts,
        "circuit_open",
        `Hetzner ist gerade nicht erreichbar (die letzten Anfragen sind fehlgeschlagen). Bitte in ${opts.retryAfterSeconds} Sekunden erneut versuchen.`,
      ),
      retryable: true,
    });
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

/** Status code Hetzner documents for each error code (used by the simulator). */
export const HETZNER_ERROR_STATUS: Readonly<Record<string, number>> = {
  forbidden: 403,
  unauthorized: 401,
  invalid_input: 400,
  json_error: 400,
  locked: 423,
  resource_locked: 423,
  not_found: 404,
  rate_limit_exceeded: 429,
  resource_limit_exceeded: 403,
  resource_unavailable: 403,
  server_error: 500,
  service_error: 503,
  uniqueness_error: 409,
  protected: 403,
  maintenance: 503,
  conflict: 409,
  unsupported_error: 400,
  token_readonly: 403,
  unavailable: 503,
  deprecated_api_endpoint: 410,
  timeout: 504,
};

export interface ApiErrorInput {
  status: number;
  /** HTTP method of the request: a gateway error after a POST leaves open whether the action was started. */
  method?: "GET" | "POST" | "DELETE" | "PUT";
  code: string | undefined;
  message: string | undefined;
  details: unknown;
  rateLimit: HetznerRateLimitInfo;
  retryAfterHeader: string | null;
  nowMs: number;
}

/** Seconds until a new request is allowed, from `Retry-After` or the RateLimit headers. */
export function computeRetryAfterSeconds(
  rateLimit: HetznerRateLimitInfo,
  retryAfterHeader: string | null,
  nowMs: number,
): number {
  if (retryAfterHeader !== null && retryAfterHeader.trim() !== "") {
    const secs = Number(retryAfterHeader);
    if (Number.isFinite(secs) && secs >= 0) return Math.ceil(secs);
    const date = Date.parse(retryAfterHeader);
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - nowMs) / 1000));
  }
  const { limit, remaining, resetAt } = rateLimit;
  if (resetAt !== null) {
    const untilFullReset = Math.max(0, (resetAt.getTime() - nowMs) / 1000);
    // Hetzner refills the bucket continuously; the time until one request is
    // available is the full-reset time divided by the missing requests.
    if (limit !== null && remaining !== null && limit - remaining > 0) {
      return Math.max(1, Math.ceil(untilFullReset / (limit - remaining)));
    }
    return Math.max(1, Math.ceil(untilFullReset));
  }
  return 1;
}

/** Maps an HTTP error answer of the API to the typed error class. */
export function errorFromApiResponse(input: ApiErrorInput): HetznerError {
  const { status, details } = input;
  const code = input.code ?? fallbackCode(status);
  const message = `Hetzner API error ${status} ${code}: ${input.message ?? "(no message)"}`;
  const base = { code, message, status, details };

  // A gateway in front of the API gave up (502/504, usually with an HTML body): after a POST the
  // request may or may not have reached Hetzner, so the user must not be told that nothing happened.
  if ((status === 502 || status === 504) && input.method === "POST") {
    const userMessage = "Hetzner hat nicht rechtzeitig geantwortet; ob die Aktion ausgeführt wurde, ist unklar. Bitte den Server-Status aktualisieren und erst dann erneut versuchen.";
    return status === 502 ? new HetznerUnavailableError({ ...base, userMessage }) : new HetznerTimeoutError({ ...base, userMessage });
  }

  switch (code) {
    case "unauthorized":
      return new HetznerAuthError(base);
    case "forbidden":
      return new HetznerAuthError({
        ...base,
        userMessage: "Der Hetzner-API-Token hat keine Berechtigung für diese Aktion.",
      });
    case "token_readonly":
      return new HetznerAuthError({
        ...base,
        userMessage: "Der Hetzner-Zugang des Portals darf nur lesen; Server-Aktionen sind damit nicht möglich. Bitte den Support kontaktieren.",
      });
    case "resource_locked":
      return new HetznerResourceLockedError(base);
    case "protected":
      return new HetznerProtectedError(base);
    case "deprecated_api_endpoint":
      return new HetznerDeprecatedEndpointError(base);
    case "not_found":
      return new HetznerNotFoundError(base);
    case "locked":
      return new HetznerLockedError(base);
    case "conflict":
    case "uniqueness_error":
      return new HetznerConflictError(base);
    case "invalid_input":
    case "json_error":
    case "unsupported_error":
      return new HetznerInvalidInputError(base);
    case "rate_limit_exceeded":
      return new HetznerRateLimitError({
        ...base,
        retryAfterSeconds: computeRetryAfterSeconds(
          input.rateLimit,
          input.retryAfterHeader,
          input.nowMs,
        ),
        rateLimit: input.rateLimit,
      });
    case "timeout":
      return new HetznerTimeoutError(base);
    case "maintenance":
      return new HetznerUnavailableError({
        ...base,
        userMessage: "Hetzner führt gerade Wartungsarbeiten durch. Bitte später erneut versuchen.",
      });
    case "unavailable":
    case "service_error":
      return new HetznerUnavailableError(base);
    case "server_error":
      return new HetznerServerError(base);
    default:
      break;
  }
  if (status === 502) return new HetznerUnavailableError({ ...base, userMessage: "Hetzner ist gerade nicht erreichbar (Gateway-Fehler). Bitte später erneut versuchen." });
  if (status === 410) return new HetznerDeprecatedEndpointError(base);
  if (status === 401 || status === 403) return new HetznerAuthError(base);
  if (status === 404) return new HetznerNotFoundError(base);
  if (status === 423) return new HetznerLockedError(base);
  if (status === 409) return new HetznerConflictError(base);
  if (status === 429)
    return new HetznerRateLimitError({
      ...base,
      retryAfterSeconds: computeRetryAfterSeconds(input.rateLimit, input.retryAfterHeader, input.nowMs),
      rateLimit: input.rateLimit,
    });
  if (status === 503) return new HetznerUnavailableError(base);
  if (status === 504) return new HetznerTimeoutError(base);
  if (status >= 500) return new HetznerServerError(base);
  return new HetznerError({ ...base, retryable: false });
}

function fallbackCode(status: number): string {
  switch (status) {
    case 400:
      return "invalid_input";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 409:
      return "conflict";
    case 423:
      return "locked";
    case 429:
      return "rate_limit_exceeded";
    case 410:
      return "deprecated_api_endpoint";
    case 502:
      return "bad_gateway";
    case 503:
      return "unavailable";
    case 504:
      return "timeout";
    default:
      return status >= 500 ? "server_error" : `http_${status}`;
  }
}
