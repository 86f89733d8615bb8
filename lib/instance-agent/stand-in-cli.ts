/**
 * Starts the instance-agent stand-in for development / e2e:
 *
 *   INSTANCE_AGENT_PORT=4020 INSTANCE_AGENT_SECRET=dev-instance-agent-secret npx tsx lib/instance-agent/stand-in-cli.ts
 *
 * The app reaches it with INSTANCE_AGENT_URL=http://127.0.0.1:4020 and the same secret.
 */
import { DEFAULT_INSTANCE_AGENT_SECRET } from "@/lib/instance-agent/client";
import { startInstanceAgentStandIn } from "@/lib/instance-agent/stand-in";

async function main(): Promise<void> {
  const port = Number(process.env.INSTANCE_AGENT_PORT ?? 4020);
  const secret = process.env.INSTANCE_AGENT_SECRET || DEFAULT_INSTANCE_AGENT_SECRET;
  const standIn = await startInstanceAgentStandIn({ port, secret });
  console.log(`[instance-agent stand-in] listening on ${standIn.url}`);
  const stop = (): void => {
    void standIn.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
