import type { Db } from "./client";

/**
 * A query built once per database handle and reused (drizzle's `.prepare()`):
 * the hot queries of every request (the session principal, /status) skip
 * drizzle's query building, which is most of the ORM's CPU per request.
 * Values go in through `sql.placeholder(name)` at `.execute({ name: value })`.
 * Keyed by handle, so tests that open several databases get one each.
 */
const byHandle = new WeakMap<Db, Map<string, unknown>>();

export function preparedQuery<T>(db: Db, name: string, build: (db: Db) => T): T {
  let statements = byHandle.get(db);
  if (!statements) byHandle.set(db, (statements = new Map()));
  let statement = statements.get(name) as T | undefined;
  if (!statement) statements.set(name, (statement = build(db)));
  return statement;
}
