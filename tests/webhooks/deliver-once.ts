/**
 * A worker process for the crash test: delivers due webhooks once against
 * DATABASE_URL. The test kills it (SIGKILL) while its POST is in flight.
 */
import { openDatabase, setDbHandleForTests } from "@/db/client";
import { deliverDueWebhooks } from "@/lib/webhooks";

const handle = await openDatabase({ url: process.env.DATABASE_URL, poolSize: 2 });
setDbHandleForTests(handle);
process.stdout.write("claiming\n");
const run = await deliverDueWebhooks();
process.stdout.write(`${JSON.stringify(run)}\n`);
process.exit(0);
