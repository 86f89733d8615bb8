import { CodedError } from "@/lib/errors";

/**
 * An auth outcome with a machine-readable code (`invalid_code`,
 * `too_many_attempts`, `token_expired`, …). The code belongs to the domain:
 * API v1 shows it as `detail.error`, the manage API and the login form show
 * only the German message.
 */
export class AuthError extends CodedError {}
