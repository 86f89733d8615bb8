/**
 * Creating and dropping the per-file PostgreSQL test databases (see global-setup.ts).
 * Names derive from DATABASE_URL's database: `<name>_tmpl` is the migrated template,
 * `<name>_f<worker>_<random>` a file's copy.
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

/** PostgreSQL identifiers end at 63 bytes; the suffixes below need 20. */
export function templateName(url: string): string {
  return `${databaseName(url).slice(0, 40)}_tmpl`;
}

export function copyName(url: string, worker: string): string {
  return `${databaseName(url).slice(0, 40)}_f${worker}_${Math.random().toString(36).slice(2, 10)}`;
}

/** A one-connection client on the server's maintenance database, for CREATE/DROP DATABASE. */
export function adminClient(url: string) {
  return postgres(withDatabaseName(url, "postgres"), { max: 1, onnotice: () => {} });
}

export async function dropDatabase(admin: postgres.Sql, name: string) {
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
