/**
 * Applies an instance's domain configuration through the instance agent
 * (URL, secret and timeout from the configuration; signed requests).
 * Never throws: the outcome carries a German message for the user.
 */
import { config } from "@/lib/config";
import { createInstanceAgentClient, InstanceAgentError, type DomainConfig } from "@/lib/instance-agent/client";

export type ApplyOutcome =
  | { ok: true }
  | { ok: false; kind: "timeout" | "rejected" | "unreachable" | "unexpected"; message: string };

export async function applyDomainConfig(instanceName: string, domains: DomainConfig): Promise<ApplyOutcome> {
  const cfg = config();
  const client = createInstanceAgentClient({
    baseUrl: cfg.INSTANCE_AGENT_URL,
    secret: cfg.INSTANCE_AGENT_SECRET,
    timeoutMs: cfg.INSTANCE_AGENT_TIMEOUT_MS,
  });
  try {
    await client.applyDomains(instanceName, domains);
    return { ok: true };
  } catch (error) {
    if (error instanceof InstanceAgentError) {
      // The technical message names status and body of the agent, never the secret.
      console.warn(`[domains] applying on instance ${instanceName} failed: ${error.message}`);
      return { ok: false, kind: error.kind, message: error.userMessage };
    }
    console.error(`[domains] unexpected error applying on instance ${instanceName}:`, error);
    return {
      ok: false,
      kind: "unexpected",
      message: "Beim Anwenden auf dem Instanz-Server ist ein unerwarteter Fehler aufgetreten. Bitte versuchen Sie es später erneut.",
    };
  }
}
