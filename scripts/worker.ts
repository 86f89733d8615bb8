/**
 * `npm run worker`: runs the background jobs (lib/jobs/registry.ts) against
 * DATABASE_URL. Start as many as you like; pg-boss gives each job to one of
 * them and fires each cron slot once. SIGTERM/SIGINT stops fetching, lets
 * running jobs finish (SHUTDOWN_TIMEOUT_MS; the rest is retried) and closes
 * the pool.
 *
 * Without DATABASE_URL there is nothing to share: the embedded PGlite can be
 * opened by one process only, so `npm run demo` runs the jobs in-process.
 */
import { closeDb, getDbHandle } from "@/db/client";
import { config } from "@/lib/config";
import { startJobRunner } from "@/lib/jobs/runner";
import { logger } from "@/lib/observability/logger";

async function main() {
  const cfg = config();
  if (!cfg.DATABASE_URL) {
    console.error("npm run worker braucht DATABASE_URL (PostgreSQL). Mit der eingebetteten Datenbank laufen die Jobs in `npm run demo` mit.");
    process.exit(1);
  }
  const handle = await getDbHandle();
  const runner = await startJobRunner({ handle });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger().info({ signal }, "worker shutting down");
    try {
      await runner.stop(cfg.SHUTDOWN_TIMEOUT_MS);
      await closeDb();
      process.exit(0);
    } catch (error) {
      logger().error({ err: error }, "worker shutdown failed");
      process.exit(1);
    }
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error) => {
  logger().error({ err: error }, "worker failed to start");
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
