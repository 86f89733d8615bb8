/**
 * PostgreSQL error codes as both drivers report them. Drizzle wraps the
 * driver's error (`cause`), PGlite and postgres.js name the constraint
 * differently, so the chain is walked a few levels.
 */
function findPgError(error: unknown, code: string) {
  let e: unknown = error;
  for (let depth = 0; e && depth < 4; depth++) {
    const err = e as { code?: string; constraint_name?: string; constraint?: string; message?: string; cause?: unknown };
    if (err.code === code) return err;
    e = err.cause;
  }
  return null;
}

/** The violated unique constraint's name (or "unique" when the driver does not say), null for other errors. */
export function uniqueViolation(error: unknown): string | null {
  const err = findPgError(error, "23505");
  if (!err) return null;
  return err.constraint_name ?? err.constraint ?? "unique";
}
