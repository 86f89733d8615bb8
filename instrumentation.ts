/**
 * Runs once when a Next.js server process starts: the configuration is
 * validated (a missing or invalid variable stops the start with its name) and
 * the database is opened and migrated, so the first request does not pay for it.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { config, ConfigError } = await import("./lib/config");
  try {
    config();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Refuse to serve with a broken configuration: name the variables and stop.
    console.error(error.message);
    // Bracket access: this file is also compiled for the edge runtime, where it never gets here.
    process["exit"](1);
  }
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { getDbHandle } = await import("./db/client");
  await getDbHandle();
}
