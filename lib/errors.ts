/**
 * Domain errors. Services throw these; one place per API family maps them to
 * HTTP status codes and response shapes (see lib/http/manage-response.ts).
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
