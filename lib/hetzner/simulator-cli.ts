/**
 * Standalone Hetzner Cloud API simulator with the demo servers.
 *
 *   npx tsx lib/hetzner/simulator-cli.ts
 *   HETZNER_SIM_PORT=4011 HETZNER_SIM_ACTION_MS=5000 npx tsx lib/hetzner/simulator-cli.ts
 *
 * Point the portal at it with HCLOUD_ENDPOINT=<printed URL> and any
 * HCLOUD_TOKEN value.
 */
import { DEMO_SERVERS, startHetznerSimulator } from "@/lib/hetzner/simulator";

const port = Number(process.env.HETZNER_SIM_PORT ?? 4010);
const actionDurationMs = Number(process.env.HETZNER_SIM_ACTION_MS ?? 3000);
const host = process.env.HETZNER_SIM_HOST ?? "127.0.0.1";

const sim = await startHetznerSimulator({ host, port, actionDurationMs, servers: [...DEMO_SERVERS] });
console.log(`Hetzner simulator listening on ${sim.url}`);
console.log(`Demo servers: ${DEMO_SERVERS.map((s) => `${s.id} (${s.name})`).join(", ")}`);

const stop = () => {
  void sim.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
