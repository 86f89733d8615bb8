/**
 * Domain errors. Services throw these; one place per API family maps them to
 * HTTP status codes and response shapes (`errorResponse` in lib/doors/manage/route.ts,
 * `v1ErrorResponse` in lib/doors/v1/errors.ts).
 */
export type FieldErrors = Record<string, string[]>;

export abstract class DomainError extends Error {
  abstract readonly status: number;
  readonly headers: Record<string, string> = {};
  constructor(message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * An error with a machine-readable code next to its German message
 * (`invalid_code`, `token_expired`, …); API v1 shows the code as `detail.error`.
 */
export class CodedError extends DomainError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(message, extra);
    Object.assign(this.headers, headers);
  }
}

export class BadRequestError extends DomainError {
  readonly status = 400;
}

export class ValidationError extends DomainError {
  readonly status = 422;
  constructor(readonly fields: FieldErrors, message = firstMessage(fields)) {
    super(message);
  }
}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
}

export class NotFoundError extends DomainError {
  readonly status = 404;
}

export class ConflictError extends DomainError {
  readonly status = 409;
}

export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
}

/** A rule of the domain forbids the request (e.g. no Hetzner server assigned). */
export class UnprocessableError extends DomainError {
  readonly status = 422;
}

export class RateLimitError extends DomainError {
  readonly status = 429;
  constructor(readonly retryAfterSeconds: number, message = rateLimitMessage(retryAfterSeconds)) {
    super(message, { retry_after: retryAfterSeconds });
    this.headers["Retry-After"] = String(retryAfterSeconds);
  }
}

/** An external system failed; the message tells the user what happened, in German. */
export class UpstreamError extends DomainError {
  readonly status = 500;
}

function firstMessage(fields: FieldErrors) {
  const first = Object.values(fields)[0]?.[0];
  return first ?? "Die Eingaben sind ungültig.";
}

export function rateLimitMessage(seconds: number) {
  if (seconds < 90) return `Zu viele Anfragen. Bitte in ${seconds} Sekunden erneut versuchen.`;
  return `Zu viele Anfragen. Bitte in ${Math.ceil(seconds / 60)} Minuten erneut versuchen.`;
}

/** The database (or another piece of infrastructure) is unreachable: 503 with Retry-After, never a logout. */
export class ServiceUnavailableError extends DomainError {
  readonly status = 503;
  constructor(message = "Der Dienst ist vorübergehend nicht erreichbar. Bitte in Kürze erneut versuchen.", readonly retryAfterSeconds = 5) {
    super(message, { retry_after: retryAfterSeconds });
    this.headers["Retry-After"] = String(retryAfterSeconds);
  }
}

/** Connection-level failures of the database driver and PostgreSQL (class 08, shutdown, too many connections). */
const INFRASTRUCTURE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "53400",
  // The server refuses new connections: database closed for connections, gone, or login refused.
  "55000",
  "3D000",
  "28000",
  "28P01",
]);

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current = error;
  while (current && chain.length < 5 && !chain.includes(current)) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/** Is this a failure of the infrastructure (database unreachable) rather than of the request? */
export function isInfrastructureError(error: unknown): boolean {
  if (error instanceof ServiceUnavailableError) return true;
  if (error instanceof DomainError) return false;
  return causes(error).some((e) => {
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code === "string" && (INFRASTRUCTURE_CODES.has(code) || code.startsWith("08"))) return true;
    const errors = (e as { errors?: unknown } | null)?.errors;
    return Array.isArray(errors) && errors.some((inner) => isInfrastructureError(inner));
  });
}

/** "update token_families" from a SQL text: enough to find the statement, nothing of its values. */
export function statementName(query: string): string {
  const match = /^\s*(?:with\b.*?\)\s*)?(select|insert into|update|delete from)\b[\s\S]*?"(\w+)"/i.exec(query);
  return match ? `${match[1].toLowerCase()} ${match[2]}` : (query.trim().split(/\s+/)[0] ?? "query").toLowerCase();
}

/**
 * What of an error may be logged: a failed SQL statement carries its
 * parameters (token hashes, e-mail addresses) in its message and stack, so
 * only the statement's name, the error code and the call stack are kept.
 */
export function loggableError(error: unknown): unknown {
  const chain = causes(error);
  const failedQuery = chain.find((e) => typeof (e as { query?: unknown })?.query === "string" && "params" in (e as object)) as
    | { query: string; stack?: string }
    | undefined;
  if (!failedQuery) return error;
  const code = chain.map((e) => (e as { code?: unknown } | null)?.code).find((c) => typeof c === "string") as string | undefined;
  const statement = statementName(failedQuery.query);
  const frames = (failedQuery.stack ?? "").split("\n").filter((line) => line.startsWith("    at "));
  const message = `Failed query: ${statement}${code ? ` (${code})` : ""}`;
  return { type: "DrizzleQueryError", message, statement, code, stack: [`DrizzleQueryError: ${message}`, ...frames].join("\n") };
}
