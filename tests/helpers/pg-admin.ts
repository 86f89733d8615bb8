/**
 * Creating and dropping the per-file PostgreSQL test databases (see global-setup.ts).
 * Names derive from DATABASE_URL's database and the run: `<name>_<run>_tmpl` is the
 * migrated template, `<name>_<run>_f<worker>_<random>` a file's copy.
 */
import postgres from "postgres";

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, "")) || "postgres";
}

export function withDatabaseName(url: string, name: string): string {
  const next = new URL(url);
  next.pathname = `/${encodeURIComponent(name)}`;
  return next.toString();
}

/**
 * Names carry the run's id, so two runs against the same DATABASE_URL (two
 * terminals, two worktrees) never drop each other's copies. PostgreSQL
 * identifiers end at 63 bytes; the suffixes below need at most 30.
 */
export function runPrefix(url: string, runId: string): string {
  return `${databaseName(url).slice(0, 32)}_${runId}`;
}

export function templateName(url: string, runId: string): string {
  return `${runPrefix(url, runId)}_tmpl`;
}

export function copyName(template: string, worker: string): string {
  return `${template.replace(/_tmpl$/, "")}_f${worker}_${Math.random().toString(36).slice(2, 10)}`;
}

/** A one-connection client on the server's maintenance database, for CREATE/DROP DATABASE. */
export function adminClient(url: string) {
  return postgres(withDatabaseName(url, "postgres"), { max: 1, onnotice: () => {} });
}

export async function dropDatabase(admin: postgres.Sql, name: string) {
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
