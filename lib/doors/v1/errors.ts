import { NextResponse } from "next/server";
import { CodedError, DomainError, isInfrastructureError, loggableError, RateLimitError, ServiceUnavailableError } from "@/lib/errors";
import { NO_STORE } from "@/lib/doors/kit/route-handler";
import { logger } from "@/lib/observability/logger";

/**
 * API v1 errors: one shape for the whole family,
 * `{ "detail": { "error": "<code>", "message": "<German text>", ...extra } }`.
 * The permission failure of the seed is exactly
 * `{ "detail": { "error": "permission_denied", "missing": "host.delete" } }` (plus a message).
 */
export class V1Error extends CodedError {}

const DEFAULT_CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  422: "validation_error",
  405: "method_not_allowed",
  429: "rate_limited",
  500: "internal_error",
  503: "service_unavailable",
};

export function permissionDenied(missing: string) {
  return new V1Error(403, "permission_denied", `Dafür fehlt die Berechtigung „${missing}“.`, { missing });
}

/** The single place where v1 maps domain errors to HTTP status codes and bodies. */
export function v1ErrorResponse(error: unknown): NextResponse {
  if (error instanceof DomainError) {
    const code = error instanceof CodedError ? error.code : error.status === 500 ? "upstream_error" : DEFAULT_CODES[error.status] ?? "error";
    // permission_denied keeps the seed's exact shape: { error, missing }.
    const detail: Record<string, unknown> =
      code === "permission_denied" ? { error: code, ...error.details } : { error: code, message: error.message, ...error.details };
    if ("fields" in error) detail.errors = (error as { fields: unknown }).fields;
    if (error instanceof RateLimitError) detail.retry_after = error.retryAfterSeconds;
    const body: Record<string, unknown> = { detail };
    // The seed asks for attempts_remaining "in the body"; it is in detail and, for convenience, on top.
    if ("attempts_remaining" in error.details) body.attempts_remaining = error.details.attempts_remaining;
    return NextResponse.json(body, { status: error.status, headers: { ...NO_STORE, ...error.headers } });
  }
  if (isInfrastructureError(error)) {
    logger().error({ err: loggableError(error), family: "v1" }, "infrastructure unavailable");
    return v1ErrorResponse(new ServiceUnavailableError());
  }
  logger().error({ err: loggableError(error), family: "v1" }, "unexpected error");
  return NextResponse.json(
    { detail: { error: "internal_error", message: "Interner Fehler. Bitte später erneut versuchen." } },
    { status: 500, headers: NO_STORE },
  );
}
