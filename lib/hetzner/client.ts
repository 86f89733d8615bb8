/**
 * Typed client for the subset of the Hetzner Cloud API the portal needs.
 *
 * - `GET  /servers/{id}`
 * - `POST /servers/{id}/actions/{reboot|poweroff|poweron|shutdown}`
 * - `GET  /actions/{id}`
 *
 * Every request has a timeout (`AbortSignal.timeout`), every answer is
 * validated with zod, every failure is thrown as a typed `HetznerError`.
 * The client is the same for the real API and the local simulator; only the
 * base URL differs.
 */
import type { z } from "zod";
import {
  HetznerActionFailedError,
  HetznerConfigError,
  HetznerError,
  HetznerNetworkError,
  HetznerResponseValidationError,
  HetznerTimeoutError,
  errorFromApiResponse,
  type HetznerRateLimitInfo,
} from "@/lib/hetzner/errors";
import {
  actionResponseSchema,
  apiErrorBodySchema,
  serverResponseSchema,
  toAction,
  toServer,
  type HetznerAction,
  type HetznerServer,
  type HetznerServerStatus,
} from "@/lib/hetzner/types";

export const HETZNER_DEFAULT_BASE_URL = "https://api.hetzner.cloud/v1";
export const HETZNER_DEFAULT_TIMEOUT_MS = 10_000;

export interface HetznerClientOptions {
  /** API base URL including `/v1`. Default: `HCLOUD_ENDPOINT` or `https://api.hetzner.cloud/v1`. */
  baseUrl?: string;
  /** API token. Default: `HCLOUD_TOKEN`. Never logged, never part of error messages. */
  token?: string;
  /** Timeout per HTTP call (whole request incl. body). Default 10 000 ms. */
  timeoutMs?: number;
  /** Fetch implementation (default: global `fetch`). */
  fetch?: typeof fetch;
}

export interface HetznerRequestOptions {
  /** Overrides the client's per-call timeout. */
  timeoutMs?: number;
  /** Caller-side cancellation. */
  signal?: AbortSignal;
}

export interface WaitForActionOptions {
  /** Delay between two polls. Default 1000 ms. */
  intervalMs?: number;
  /** Overall time budget. Default 120 000 ms; exceeded → `HetznerTimeoutError`. */
  timeoutMs?: number;
  /** Called with the action after every poll (including the last one). */
  onProgress?: (action: HetznerAction) => void;
  /**
   * Retry polls that fail with a retryable error (429, 5xx, timeouts,
   * network errors) until the overall timeout. Default true.
   */
  retryTransientErrors?: boolean;
  signal?: AbortSignal;
}

export interface WaitForServerStatusOptions {
  intervalMs?: number;
  timeoutMs?: number;
  onPoll?: (server: HetznerServer) => void;
  retryTransientErrors?: boolean;
  signal?: AbortSignal;
}

export type HetznerServerId = number | string;

export interface HetznerClient {
  readonly baseUrl: string;
  getServer(id: HetznerServerId, opts?: HetznerRequestOptions): Promise<HetznerServer>;
  /** Graceful reboot via ACPI (`reboot_server`). */
  reboot(id: HetznerServerId, opts?: HetznerRequestOptions): Promise<HetznerAction>;
  /** Hard power off, like pulling the plug (`stop_server`). May lose data. */
  powerOff(id: HetznerServerId, opts?: HetznerRequestOptions): Promise<HetznerAction>;
  /** Power on (`start_server`). */
  powerOn(id: HetznerServerId, opts?: HetznerRequestOptions): Promise<HetznerAction>;
  /**
   * Graceful shutdown via ACPI (`shutdown_server`). The action's success only
   * means the ACPI request was sent; use `waitForServerStatus(id, "off")` to
   * verify the server is really off.
   */
  shutdown(id: HetznerServerId, opts?: HetznerRequestOptions): Promise<HetznerAction>;
  getAction(id: number | string, opts?: HetznerRequestOptions): Promise<HetznerAction>;
  /**
   * Polls `GET /actions/{id}` until the action is no longer `running`.
   * Resolves with the successful action; throws `HetznerActionFailedError`
   * when it ends with `error`, `HetznerTimeoutError` after `timeoutMs`.
   */
  waitForAction(id: number | string, opts?: WaitForActionOptions): Promise<HetznerAction>;
  /** Polls `GET /servers/{id}` until `status` matches; throws `HetznerTimeoutError` after `timeoutMs`. */
  waitForServerStatus(
    id: HetznerServerId,
    status: HetznerServerStatus | readonly HetznerServerStatus[],
    opts?: WaitForServerStatusOptions,
  ): Promise<HetznerServer>;
  /** RateLimit headers of the last answer (null before the first answer). */
  getRateLimit(): HetznerRateLimitInfo | null;
}

export function createHetznerClient(options: HetznerClientOptions = {}): HetznerClient {
  const token = options.token ?? process.env.HCLOUD_TOKEN ?? "";
  if (token.trim() === "") {
    throw new HetznerConfigError({ message: "Hetzner API token missing (HCLOUD_TOKEN not set)" });
  }
  const rawBase = options.baseUrl ?? process.env.HCLOUD_ENDPOINT ?? HETZNER_DEFAULT_BASE_URL;
  let baseUrl: string;
  try {
    baseUrl = new URL(rawBase).toString().replace(/\/+$/, "");
  } catch (cause) {
    throw new HetznerConfigError({ message: `Invalid Hetzner base URL: ${rawBase}`, cause });
  }
  const defaultTimeoutMs = options.timeoutMs ?? HETZNER_DEFAULT_TIMEOUT_MS;
  if (!(defaultTimeoutMs > 0)) {
    throw new HetznerConfigError({ message: "timeoutMs must be > 0" });
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  let lastRateLimit: HetznerRateLimitInfo | null = null;

  async function request<S extends z.ZodType>(
    method: "GET" | "POST",
    path: string,
    schema: S,
    opts: HetznerRequestOptions = {},
  ): Promise<z.infer<S>> {
    const timeoutMs = opts.timeoutMs ?? defaultTimeoutMs;
    const timeoutSignal = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([timeoutSignal, opts.signal]) : timeoutSignal;
    const what = `${method} ${path}`;

    let res: Response;
    let text: string;
    try {
      res = await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: "application/json",
          ...(method === "POST" ? { "Content-Type": "application/json" } : {}),
        },
        body: method === "POST" ? "{}" : undefined,
        signal,
        redirect: "error",
      });
      text = await res.text();
    } catch (cause) {
      if (timeoutSignal.aborted) {
        throw new HetznerTimeoutError({
          message: `Hetzner API ${what} timed out after ${timeoutMs} ms`,
          cause,
        });
      }
      if (opts.signal?.aborted) {
        throw new HetznerError({
          code: "aborted",
          message: `Hetzner API ${what} aborted by caller`,
          userMessage: "Die Anfrage an Hetzner wurde abgebrochen.",
          cause,
        });
      }
      throw new HetznerNetworkError({
        message: `Hetzner API ${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        cause,
      });
    }

    const rateLimit = readRateLimit(res.headers);
    if (rateLimit.limit !== null || rateLimit.remaining !== null || rateLimit.resetAt !== null) {
      lastRateLimit = rateLimit;
    }

    let json: unknown;
    let jsonOk = true;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      jsonOk = false;
    }

    if (!res.ok) {
      const parsed = jsonOk ? apiErrorBodySchema.safeParse(json) : undefined;
      const body = parsed?.success ? parsed.data.error : undefined;
      throw errorFromApiResponse({
        status: res.status,
        code: body?.code,
        message: body?.message ?? `${what} answered ${res.status}`,
        details: body?.details,
        rateLimit,
        retryAfterHeader: res.headers.get("retry-after"),
        nowMs: Date.now(),
      });
    }

    if (!jsonOk || json === undefined) {
      throw new HetznerResponseValidationError({
        message: `Hetzner API ${what}: answer is not JSON`,
        status: res.status,
      });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new HetznerResponseValidationError({
        message: `Hetzner API ${what}: unexpected answer: ${parsed.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
          .join("; ")}`,
        status: res.status,
        details: parsed.error.issues,
      });
    }
    return parsed.data;
  }

  async function getServer(id: HetznerServerId, opts?: HetznerRequestOptions) {
    const data = await request("GET", `/servers/${checkId(id, "server")}`, serverResponseSchema, opts);
    return toServer(data.server);
  }

  async function serverAction(
    id: HetznerServerId,
    action: "reboot" | "poweroff" | "poweron" | "shutdown",
    opts?: HetznerRequestOptions,
  ) {
    const data = await request(
      "POST",
      `/servers/${checkId(id, "server")}/actions/${action}`,
      actionResponseSchema,
      opts,
    );
    return toAction(data.action);
  }

  async function getAction(id: number | string, opts?: HetznerRequestOptions) {
    const data = await request("GET", `/actions/${checkId(id, "action")}`, actionResponseSchema, opts);
    return toAction(data.action);
  }

  async function poll<T>(
    label: string,
    fetchOnce: (remainingMs: number) => Promise<T>,
    isDone: (value: T) => boolean,
    opts: {
      intervalMs?: number;
      timeoutMs?: number;
      onValue?: (value: T) => void;
      retryTransientErrors?: boolean;
      signal?: AbortSignal;
    },
  ): Promise<T> {
    const intervalMs = opts.intervalMs ?? 1000;
    const totalMs = opts.timeoutMs ?? 120_000;
    const retry = opts.retryTransientErrors ?? true;
    const deadline = Date.now() + totalMs;
    let lastError: unknown;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      let waitMs = intervalMs;
      try {
        const value = await fetchOnce(Math.min(defaultTimeoutMs, remaining));
        opts.onValue?.(value);
        if (isDone(value)) return value;
      } catch (err) {
        if (!(retry && err instanceof HetznerError && err.retryable) || opts.signal?.aborted) throw err;
        lastError = err;
        if (err instanceof HetznerError && "retryAfterSeconds" in err) {
          waitMs = Math.max(intervalMs, Number(err.retryAfterSeconds) * 1000);
        }
      }
      const sleepMs = Math.min(waitMs, deadline - Date.now());
      if (sleepMs <= 0) break;
      await sleep(sleepMs, opts.signal);
    }
    throw new HetznerTimeoutError({
      message: `${label} did not finish within ${totalMs} ms`,
      cause: lastError,
    });
  }

  return {
    baseUrl,
    getServer,
    reboot: (id, opts) => serverAction(id, "reboot", opts),
    powerOff: (id, opts) => serverAction(id, "poweroff", opts),
    powerOn: (id, opts) => serverAction(id, "poweron", opts),
    shutdown: (id, opts) => serverAction(id, "shutdown", opts),
    getAction,
    async waitForAction(id, opts = {}) {
      const action = await poll(
        `Hetzner action ${String(id)}`,
        (remainingMs) => getAction(id, { timeoutMs: remainingMs, signal: opts.signal }),
        (a) => a.status !== "running",
        { ...opts, onValue: opts.onProgress },
      );
      if (action.status === "error") {
        const actionError = action.error ?? { code: "unknown_error", message: "unknown error" };
        throw new HetznerActionFailedError({
          message: `Hetzner action ${action.id} (${action.command}) failed: ${actionError.code}: ${actionError.message}`,
          actionId: action.id,
          actionError,
        });
      }
      return action;
    },
    async waitForServerStatus(id, status, opts = {}) {
      const wanted: readonly HetznerServerStatus[] = typeof status === "string" ? [status] : status;
      return poll(
        `Hetzner server ${String(id)} reaching ${wanted.join("/")}`,
        (remainingMs) => getServer(id, { timeoutMs: remainingMs, signal: opts.signal }),
        (s) => wanted.includes(s.status),
        { ...opts, onValue: opts.onPoll },
      );
    },
    getRateLimit: () => lastRateLimit,
  };
}

function checkId(id: number | string, kind: string): string {
  const s = String(id);
  if (!/^[1-9]\d{0,17}$/.test(s)) {
    throw new HetznerConfigError({
      code: "invalid_input",
      message: `Invalid Hetzner ${kind} id: ${JSON.stringify(s).slice(0, 40)}`,
      userMessage: "Ungültige Hetzner-ID.",
    });
  }
  return s;
}

function readRateLimit(headers: Headers): HetznerRateLimitInfo {
  const num = (name: string): number | null => {
    const v = headers.get(name);
    if (v === null || v.trim() === "") return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  };
  const reset = num("ratelimit-reset");
  return {
    limit: num("ratelimit-limit"),
    remaining: num("ratelimit-remaining"),
    resetAt: reset === null ? null : new Date(reset * 1000),
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError(signal!));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal): HetznerError {
  return new HetznerError({
    code: "aborted",
    message: "Hetzner wait aborted by caller",
    userMessage: "Die Anfrage an Hetzner wurde abgebrochen.",
    cause: signal.reason,
  });
}
