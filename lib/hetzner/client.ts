/**
 * Typed client for the subset of the Hetzner Cloud API the portal needs.
 *
 * - `GET  /servers` (paginated: `listServers` reads every page, one call per page)
 * - `GET  /servers/{id}`, `GET /servers/{id}/metrics`
 * - `POST /servers/{id}/actions/{reboot|poweroff|poweron|shutdown}`
 * - `GET  /actions/{id}`
 *
 * Every request has a timeout (`AbortSignal.timeout`), every answer is
 * validated with zod, every failure is thrown as a typed `HetznerError`.
 *
 * Retries, as Hetzner's own client (hcloud-go) does them: `conflict` (409: the
 * resource changed while Hetzner handled the request, nothing was done) is
 * retried for every method; a gateway's 502/504 only for reads, because after
 * a POST the action may have started. Back-off 1 s, 2 s, 4 s … with jitter
 * (hcloud-go's `ExponentialBackoffWithOpts`: a random wait between the base and
 * the exponential value), 3 retries instead of hcloud-go's 5, because a
 * person is waiting for the answer. Everything else is the caller's decision.
 * The client is the same for the real API and the local simulator; only the
 * base URL differs. Every call is counted in the `hetzner_api_*` metrics; with
 * a `breaker` (lib/hetzner/breaker.ts) the client fails fast during an outage.
 */
import { z } from "zod";
import { observeHetznerCall } from "@/lib/observability/metrics";
import type { CircuitBreaker } from "@/lib/hetzner/breaker";
import {
  HetznerActionFailedError,
  HetznerConfigError,
  HetznerError,
  HetznerNetworkError,
  HetznerRateLimitError,
  HetznerResponseValidationError,
  HetznerTimeoutError,
  computeRetryAfterSeconds,
  errorFromApiResponse,
  type HetznerRateLimitInfo,
} from "@/lib/hetzner/errors";
import {
  actionResponseSchema,
  apiErrorBodySchema,
  imageListResponseSchema,
  imageResponseSchema,
  toImage,
  type HetznerImage,
  metricsResponseSchema,
  rawServerSchema,
  serverListResponseSchema,
  serverResponseSchema,
  toAction,
  toMetrics,
  toServer,
  type HetznerAction,
  type HetznerMetrics,
  type HetznerMetricType,
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
  /** Retries of `conflict` (all methods) and 502/504 (reads). Default 3 retries, 1 s base, 10 s cap. */
  retry?: { maxRetries?: number; baseMs?: number; capMs?: number; random?: () => number };
  /** Fail fast after repeated outage-like failures (see breaker.ts). Default: none. */
  breaker?: CircuitBreaker;
}

export interface ListServersOptions extends HetznerRequestOptions {
  /** Servers per page (Hetzner allows up to 50). Default 50. */
  perPage?: number;
  /**
   * Retries per page after a 429 (waiting `retryAfterSeconds`) or an outage-like
   * failure (waiting 1 s, 2 s, 4 s …). Default 3. Never retries when the breaker is open.
   */
  retries?: number;
  /** Longest single wait before a retry; a 429 asking for more fails at once. Default 30 000 ms. */
  maxWaitMs?: number;
  /** Called before each wait (logs, tests). */
  onBackoff?: (info: { page: number; waitMs: number; error: unknown }) => void;
  /**
   * Called for a listed server whose shape the portal cannot read; the other servers are
   * returned as usual. `id` is Hetzner's id when the entry has one.
   */
  onInvalidServer?: (info: { id: number | null; issues: string }) => void;
}

export interface HetznerRequestOptions {
  /** Overrides the client's per-call timeout. */
  timeoutMs?: number;
  /** Overrides the client's retries of `conflict` and 502/504 (0: none). */
  retries?: number;
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
  /**
   * Every server of the project, read page by page (`GET /servers?page=n&per_page=50`,
   * one call per page). Between pages it waits when the rate limit is used up;
   * a page that fails with 429 or 5xx is retried with back-off (`retries`).
   */
  listServers(opts?: ListServersOptions): Promise<HetznerServer[]>;
  getServer(id: HetznerServerId, opts?: HetznerRequestOptions): Promise<HetznerServer>;
  /**
   * `GET /servers/{id}/metrics?type=…&start=…&end=…&step=…`. Hetzner keeps 30 days and widens
   * `step` so that no series has more than 500 samples.
   */
  getMetrics(
    id: HetznerServerId,
    query: { types: readonly HetznerMetricType[]; start: Date; end: Date; step?: number },
    opts?: HetznerRequestOptions,
  ): Promise<HetznerMetrics>;
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
  /** `GET /images?type=…&bound_to=…` (every page). */
  listImages(query: { type: "backup" | "snapshot"; boundTo?: number }, opts?: HetznerRequestOptions): Promise<HetznerImage[]>;
  getImage(id: number, opts?: HetznerRequestOptions): Promise<HetznerImage>;
  /** `DELETE /images/{id}`. */
  deleteImage(id: number, opts?: HetznerRequestOptions): Promise<void>;
  /** `POST /servers/{id}/actions/create_image` with `type: snapshot` (`create_image`). */
  createSnapshot(id: HetznerServerId, description: string, opts?: HetznerRequestOptions): Promise<{ image: HetznerImage; action: HetznerAction }>;
  /** `POST /servers/{id}/actions/enable_backup` / `disable_backup` (disabling deletes the server's backups at Hetzner). */
  enableBackup(id: HetznerServerId, opts?: HetznerRequestOptions): Promise<HetznerAction>;
  disableBackup(id: HetznerServerId, opts?: HetznerRequestOptions): Promise<HetznerAction>;
  /** `POST /servers/{id}/actions/rebuild` from an image (`rebuild_server`): the disk is replaced by the image. */
  rebuild(id: HetznerServerId, imageId: number, opts?: HetznerRequestOptions): Promise<HetznerAction>;
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
  const breaker = options.breaker;
  const retry = {
    maxRetries: options.retry?.maxRetries ?? 3,
    baseMs: options.retry?.baseMs ?? 1000,
    capMs: options.retry?.capMs ?? 10_000,
    random: options.retry?.random ?? Math.random,
  };
  let lastRateLimit: HetznerRateLimitInfo | null = null;

  /** One API call with its retries (see the head comment); each attempt is counted and guarded by the breaker. */
  async function request<S extends z.ZodType>(
    operation: string,
    method: HttpMethod,
    path: string,
    schema: S,
    opts: HetznerRequestOptions = {},
    body?: unknown,
  ): Promise<z.infer<S>> {
    const maxRetries = opts.retries ?? retry.maxRetries;
    for (let attempt = 0; ; attempt++) {
      try {
        return await attemptOnce(operation, method, path, schema, opts, body);
      } catch (error) {
        if (attempt >= maxRetries || !retriedAutomatically(error, method) || opts.signal?.aborted) throw error;
        await sleep(backoffMs(attempt), opts.signal);
      }
    }
  }

  /** hcloud-go's exponential back-off with jitter: between `base` and `base · 2^attempt` (capped). */
  function backoffMs(attempt: number): number {
    const exp = Math.min(retry.capMs, retry.baseMs * 2 ** attempt);
    return retry.baseMs + (exp - retry.baseMs) * retry.random();
  }

  async function attemptOnce<S extends z.ZodType>(
    operation: string,
    method: HttpMethod,
    path: string,
    schema: S,
    opts: HetznerRequestOptions,
    body: unknown,
  ): Promise<z.infer<S>> {
    const started = performance.now();
    try {
      breaker?.before();
    } catch (error) {
      observeHetznerCall(operation, 0, "error", "circuit_open");
      throw error;
    }
    try {
      const result = await send(method, path, schema, opts, body);
      breaker?.success();
      observeHetznerCall(operation, (performance.now() - started) / 1000, "ok");
      return result;
    } catch (error) {
      breaker?.failure(error);
      observeHetznerCall(operation, (performance.now() - started) / 1000, "error", errorKind(error));
      throw error;
    }
  }

  async function send<S extends z.ZodType>(
    method: HttpMethod,
    path: string,
    schema: S,
    opts: HetznerRequestOptions = {},
    body?: unknown,
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
          ...(method === "POST" || method === "PUT" ? { "Content-Type": "application/json" } : {}),
        },
        body: method === "POST" || method === "PUT" ? JSON.stringify(body ?? {}) : undefined,
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
        method,
        code: body?.code,
        message: body?.message ?? `${what} answered ${res.status}`,
        details: body?.details,
        rateLimit,
        retryAfterHeader: res.headers.get("retry-after"),
        nowMs: Date.now(),
      });
    }

    // DELETE answers 204 without a body.
    if (res.status === 204 && text === "") return schema.parse(undefined);
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
    const data = await request("get_server", "GET", `/servers/${checkId(id, "server")}`, serverResponseSchema, opts);
    return toServer(data.server);
  }

  async function getMetrics(
    id: HetznerServerId,
    query: { types: readonly HetznerMetricType[]; start: Date; end: Date; step?: number },
    opts?: HetznerRequestOptions,
  ): Promise<HetznerMetrics> {
    const params = new URLSearchParams({ type: query.types.join(","), start: query.start.toISOString(), end: query.end.toISOString() });
    if (query.step !== undefined) params.set("step", String(Math.max(1, Math.round(query.step))));
    const data = await request("get_metrics", "GET", `/servers/${checkId(id, "server")}/metrics?${params}`, metricsResponseSchema, opts);
    return toMetrics(data);
  }

  async function listServers(opts: ListServersOptions = {}): Promise<HetznerServer[]> {
    const perPage = Math.min(50, Math.max(1, opts.perPage ?? 50));
    const retries = opts.retries ?? 3;
    const maxWaitMs = opts.maxWaitMs ?? 30_000;
    const all: HetznerServer[] = [];
    let page: number | null = 1;
    while (page !== null) {
      // Respect the rate limit between pages: with nothing left, wait for one request's refill.
      if (page > 1 && lastRateLimit?.remaining === 0) {
        const waitMs = computeRetryAfterSeconds(lastRateLimit, null, Date.now()) * 1000;
        if (waitMs > maxWaitMs) {
          throw new HetznerRateLimitError({ message: "Hetzner rate limit used up while listing servers", retryAfterSeconds: waitMs / 1000, rateLimit: lastRateLimit });
        }
        opts.onBackoff?.({ page, waitMs, error: null });
        await sleep(waitMs, opts.signal);
      }
      const current: number = page;
      const path = `/servers?page=${current}&per_page=${perPage}`;
      for (let attempt = 0; ; attempt++) {
        try {
          // The page has its own retry policy below; no automatic retries inside.
          const data: z.infer<typeof serverListResponseSchema> = await request("list_servers", "GET", path, serverListResponseSchema, { ...opts, retries: 0 });
          for (const entry of data.servers) {
            const parsed = rawServerSchema.safeParse(entry);
            if (parsed.success) {
              all.push(toServer(parsed.data));
              continue;
            }
            const rawId = (entry as { id?: unknown } | null)?.id;
            opts.onInvalidServer?.({
              id: typeof rawId === "number" && Number.isInteger(rawId) ? rawId : null,
              issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; "),
            });
          }
          page = data.meta?.pagination?.next_page ?? null;
          break;
        } catch (error) {
          const waitMs =
            error instanceof HetznerRateLimitError
              ? error.retryAfterSeconds * 1000
              : error instanceof HetznerError && error.retryable && error.code !== "circuit_open" && error.code !== "locked"
                ? 1000 * 2 ** attempt
                : null;
          if (waitMs === null || attempt >= retries || waitMs > maxWaitMs || opts.signal?.aborted) throw error;
          opts.onBackoff?.({ page: current, waitMs, error });
          await sleep(waitMs, opts.signal);
        }
      }
    }
    return all;
  }

  async function serverAction(
    id: HetznerServerId,
    action: "reboot" | "poweroff" | "poweron" | "shutdown",
    opts?: HetznerRequestOptions,
  ) {
    const data = await request(
      `server_${action}`,
      "POST",
      `/servers/${checkId(id, "server")}/actions/${action}`,
      actionResponseSchema,
      opts,
    );
    return toAction(data.action);
  }

  async function listImages(query: { type: "backup" | "snapshot"; boundTo?: number }, opts?: HetznerRequestOptions) {
    const all: HetznerImage[] = [];
    for (let page: number | null = 1; page !== null; ) {
      const params = new URLSearchParams({ type: query.type, page: String(page), per_page: "50" });
      if (query.boundTo !== undefined) params.set("bound_to", String(query.boundTo));
      const data: z.infer<typeof imageListResponseSchema> = await request("list_images", "GET", `/images?${params}`, imageListResponseSchema, opts);
      all.push(...data.images.map(toImage));
      page = data.meta?.pagination?.next_page ?? null;
    }
    return all;
  }

  async function getAction(id: number | string, opts?: HetznerRequestOptions) {
    const data = await request("get_action", "GET", `/actions/${checkId(id, "action")}`, actionResponseSchema, opts);
    return toAction(data.action);
  }

  async function simpleAction(id: HetznerServerId, action: "enable_backup" | "disable_backup", opts?: HetznerRequestOptions) {
    const data = await request(`server_${action}`, "POST", `/servers/${checkId(id, "server")}/actions/${action}`, actionResponseSchema, opts);
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
    listServers,
    getServer,
    getMetrics,
    reboot: (id, opts) => serverAction(id, "reboot", opts),
    powerOff: (id, opts) => serverAction(id, "poweroff", opts),
    powerOn: (id, opts) => serverAction(id, "poweron", opts),
    shutdown: (id, opts) => serverAction(id, "shutdown", opts),
    getAction,
    listImages,
    async getImage(id, opts) {
      const data = await request("get_image", "GET", `/images/${checkId(id, "image")}`, imageResponseSchema, opts);
      return toImage(data.image);
    },
    async deleteImage(id, opts) {
      await request("delete_image", "DELETE", `/images/${checkId(id, "image")}`, z.undefined(), opts);
    },
    async createSnapshot(id, description, opts) {
      const data = await request(
        "server_create_image",
        "POST",
        `/servers/${checkId(id, "server")}/actions/create_image`,
        imageResponseSchema.extend({ action: actionResponseSchema.shape.action }),
        opts,
        { type: "snapshot", description },
      );
      return { image: toImage(data.image), action: toAction(data.action) };
    },
    enableBackup: (id, opts) => simpleAction(id, "enable_backup", opts),
    disableBackup: (id, opts) => simpleAction(id, "disable_backup", opts),
    async rebuild(id, imageId, opts) {
      const data = await request("server_rebuild", "POST", `/servers/${checkId(id, "server")}/actions/rebuild`, actionResponseSchema, opts, { image: String(imageId) });
      return toAction(data.action);
    },
    async waitForAction(id, opts = {}) {
      const action = await poll(
        `Hetzner action ${String(id)}`,
        (remainingMs) => getAction(id, { timeoutMs: remainingMs, signal: opts.signal, retries: 0 }),
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
        (remainingMs) => getServer(id, { timeoutMs: remainingMs, signal: opts.signal, retries: 0 }),
        (s) => wanted.includes(s.status),
        { ...opts, onValue: opts.onPoll },
      );
    },
    getRateLimit: () => lastRateLimit,
  };
}

type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** What the client retries by itself (see the head comment). */
function retriedAutomatically(error: unknown, method: HttpMethod): boolean {
  if (!(error instanceof HetznerError)) return false;
  if (error.code === "conflict") return true;
  return method === "GET" && (error.status === 502 || error.status === 504);
}

/** Bounded metric label for a failed call. */
function errorKind(error: unknown): string {
  if (!(error instanceof HetznerError)) return "unknown";
  if (error.code === "timeout" || error.code === "network_error" || error.code === "invalid_response" || error.code === "circuit_open") return error.code;
  if (error.status === 429) return "rate_limited";
  if (error.status !== undefined) return error.status >= 500 ? "http_5xx" : "http_4xx";
  return "other";
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
