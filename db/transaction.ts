/**
 * How commands compose. Every command takes `options.tx`: without it, the command
 * runs in a transaction of its own; with it, it joins the caller's transaction as a
 * savepoint, so a caller can make several commands one atomic step, and a command
 * that fails (a domain refusal caught by the caller) takes back only its own writes.
 */
import { getDb } from "./client";
import type { Tx } from "./types";

export type CommandOptions = { tx?: Tx };

export async function inTransaction<T>(options: CommandOptions | undefined, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (options?.tx) return options.tx.transaction(work);
  const db = await getDb();
  return db.transaction(work);
}
