/**
 * Client for the instance server's configuration endpoint ("instance agent").
 *
 * Requests are signed with HMAC-SHA256 over
 *   `${timestamp}.${METHOD}.${path}.${body}`
 * (timestamp = Unix seconds, path = URL pathname incl. query) and sent with the
 * headers `X-Timestamp` and `X-Signature` (lower-case hex).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Signature";
export const TIMESTAMP_HEADER = "X-Timestamp";
/** Maximum accepted clock difference / request age in seconds. */
export const MAX_SIGNATURE_AGE_SECONDS = 300;

export const INSTANCE_AGENT_URL_ENV = "INSTANCE_AGENT_URL";
export const INSTANCE_AGENT_SECRET_ENV = "INSTANCE_AGENT_SECRET";
export const INSTANCE_AGENT_TIMEOUT_ENV = "INSTANCE_AGENT_TIMEOUT_MS";
export const DEFAULT_INSTANCE_AGENT_URL = "http://127.0.0.1:4020";
export const DEFAULT_INSTANCE_AGENT_SECRET = "dev-instance-agent-secret";
export const DEFAULT_INSTANCE_AGENT_TIMEOUT_MS = 10_000;

export interface DomainConfig {
  portal_domain: string | null;
  meshcentral_domain: string | null;
}

export type InstanceAgentErrorKind = "timeout" | "rejected" | "unreachable";

const USER_MESSAGES: Record<InstanceAgentErrorKind, string> = {
  timeout:
    "Der Instanz-Server hat nicht rechtzeitig geantwortet. Die Änderung wurde möglicherweise nicht übernommen. Bitte versuchen Sie es in ein paar Minuten erneut.",
  rejected:
    "Der Instanz-Server hat die Konfiguration abgelehnt. Bitte versuchen Sie es später erneut oder wenden Sie sich an den Support.",
  unreachable: "Der Instanz-Server ist derzeit nicht erreichbar. Bitte versuchen Sie es später erneut.",
};

export class InstanceAgentError extends Error {
  readonly kind: InstanceAgentErrorKind;
  /** German message that can be shown to the user. */
  readonly userMessage: string;
  /** HTTP status for kind "rejected". */
  readonly status?: number;

  constructor(kind: InstanceAgentErrorKind, message: string, opts: { status?: number; cause?: unknown } = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = "InstanceAgentError";
    this.kind = kind;
    this.userMessage = USER_MESSAGES[kind];
    if (opts.status !== undefined) this.status = opts.status;
  }
}

export function signRequest(args: {
  secret: string;
  timestamp: string | number;
  method: string;
  path: string;
  body: string;
}): string {
  return createHmac("sha256", args.secret)
    .update(`${args.timestamp}.${args.method.toUpperCase()}.${args.path}.${args.body}`)
    .digest("hex");
}

export type SignatureVerification = { ok: true } | { ok: false; reason: "missing" | "expired" | "invalid" };

/** Verifies a signed request (used by the stand-in; usable by a real agent written in TS). */
export function verifyRequestSignature(args: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  method: string;
  path: string;
  body: string;
  nowSeconds?: number;
}): SignatureVerification {
  const { timestamp, signature } = args;
  if (!timestamp || !signature) return { ok: false, reason: "missing" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "invalid" };
  const now = args.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > MAX_SIGNATURE_AGE_SECONDS) return { ok: false, reason: "expired" };
  const expected = Buffer.from(signRequest({ ...args, timestamp }), "hex");
  const given = /^[0-9a-f]+$/i.test(signature) ? Buffer.from(signature, "hex") : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "invalid" };
  return { ok: true };
}

export interface InstanceAgentClientOptions {
  baseUrl: string;
  secret: string;
  timeoutMs?: number;
  /** For tests: clock in Unix seconds. */
  now?: () => number;
}

/** What the instance counts about itself. */
export interface InstanceUsageReport {
  customers: number;
  devices: number;
  countedAt: Date;
}

export interface InstanceAgentClient {
  applyDomains(instanceName: string, config: DomainConfig): Promise<{ applied: true }>;
  /** Signed `GET /instances/{name}/usage` → how many customers and devices the instance manages. */
  getUsage(instanceName: string): Promise<InstanceUsageReport>;
}

export function instanceDomainsPath(instanceName: string): string {
  return `/instances/${encodeURIComponent(instanceName)}/domains`;
}

export function createInstanceAgentClient(opts: InstanceAgentClientOptions): InstanceAgentClient {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_INSTANCE_AGENT_TIMEOUT_MS;
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  const base = opts.baseUrl.replace(/\/+$/, "");

  async function send(method: string, relPath: string, payload: unknown): Promise<unknown> {
    const url = new URL(base + relPath);
    const path = url.pathname + url.search;
    // A GET has no body; the signature then covers the empty string.
    const body = payload === undefined ? "" : JSON.stringify(payload);
    const timestamp = String(now());
    const signature = signRequest({ secret: opts.secret, timestamp, method, path, body });

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          body: method === "GET" ? undefined : body,
          signal: controller.signal,
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: signature,
          },
        });
      } catch (err) {
        if (timedOut) throw new InstanceAgentError("timeout", `instance agent timed out after ${timeoutMs} ms`, { cause: err });
        throw new InstanceAgentError("unreachable", `instance agent unreachable: ${(err as Error).message}`, { cause: err });
      }
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        if (timedOut) throw new InstanceAgentError("timeout", `instance agent timed out after ${timeoutMs} ms`, { cause: err });
        throw new InstanceAgentError("unreachable", `instance agent connection failed: ${(err as Error).message}`, { cause: err });
      }
      if (!res.ok) {
        throw new InstanceAgentError("rejected", `instance agent answered ${res.status}: ${text.slice(0, 300)}`, {
          status: res.status,
        });
      }
      try {
        return text ? (JSON.parse(text) as unknown) : {};
      } catch {
        throw new InstanceAgentError("rejected", `instance agent sent invalid JSON (status ${res.status})`, {
          status: res.status,
        });
      }
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async applyDomains(instanceName, config) {
      const payload: DomainConfig = {
        portal_domain: config.portal_domain ?? null,
        meshcentral_domain: config.meshcentral_domain ?? null,
      };
      const answer = await send("PUT", instanceDomainsPath(instanceName), payload);
      if (!answer || typeof answer !== "object" || (answer as { applied?: unknown }).applied !== true) {
        throw new InstanceAgentError("rejected", "instance agent did not confirm the configuration");
      }
      return { applied: true };
    },
    async getUsage(instanceName) {
      const answer = (await send("GET", `/instances/${encodeURIComponent(instanceName)}/usage`, undefined)) as Record<string, unknown> | null;
      const count = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : null);
      const customers = count(answer?.customers);
      const devices = count(answer?.devices);
      const countedAt = typeof answer?.counted_at === "string" ? new Date(answer.counted_at) : new Date(Number.NaN);
      if (customers === null || devices === null || Number.isNaN(countedAt.getTime())) {
        throw new InstanceAgentError("rejected", "instance agent sent usage of the wrong shape");
      }
      return { customers, devices, countedAt };
    },
  };
}

/**
 * Client configured from INSTANCE_AGENT_URL / INSTANCE_AGENT_SECRET / INSTANCE_AGENT_TIMEOUT_MS.
 * Outside production it falls back to the local stand-in (http://127.0.0.1:4020, dev secret).
 */
export function createInstanceAgentClientFromEnv(env: Record<string, string | undefined> = process.env): InstanceAgentClient {
  if (env.NODE_ENV === "production" && (!env[INSTANCE_AGENT_URL_ENV] || !env[INSTANCE_AGENT_SECRET_ENV])) {
    throw new Error(`${INSTANCE_AGENT_URL_ENV} and ${INSTANCE_AGENT_SECRET_ENV} must be set in production`);
  }
  return createInstanceAgentClient({
    baseUrl: env[INSTANCE_AGENT_URL_ENV]?.trim() || DEFAULT_INSTANCE_AGENT_URL,
    secret: env[INSTANCE_AGENT_SECRET_ENV] || DEFAULT_INSTANCE_AGENT_SECRET,
    timeoutMs: Number(env[INSTANCE_AGENT_TIMEOUT_ENV]) || DEFAULT_INSTANCE_AGENT_TIMEOUT_MS,
  });
}
