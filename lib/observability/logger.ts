/**
 * Structured logs (pino): JSON lines in production, readable lines in
 * development. Every line written while a request is being handled carries its
 * request id (and user/instance once known) via the request context, so one
 * grep finds everything a request caused. Secrets never reach the log: the
 * usual carriers are redacted by path, and request lines hold no headers or
 * query strings at all.
 */
import pino, { type Logger } from "pino";
import { loggableError } from "@/lib/errors";
import { currentRequestContext } from "./request-context";

const store = globalThis as unknown as { __manageLogger?: Logger };

const REDACT = [
  "authorization",
  "cookie",
  "password",
  "token",
  "secret",
  "*.authorization",
  "*.cookie",
  "*.password",
  "*.token",
  "*.secret",
  "headers.authorization",
  "headers.cookie",
  'headers["set-cookie"]',
  "*.access_token",
  "*.refresh_token",
];

/** A failed SQL statement is logged by its name and error code, never with its parameters (token hashes). */
export const LOG_SERIALIZERS = { err: (error: unknown) => pino.stdSerializers.err(loggableError(error) as Error) };

function createLogger(): Logger {
  const inTests = Boolean(process.env.VITEST) || process.env.APP_ENV === "test";
  const pretty = process.env.NODE_ENV !== "production" && !inTests && process.env.LOG_FORMAT !== "json";
  return pino({
    level: process.env.LOG_LEVEL ?? (inTests ? "silent" : "info"),
    base: { pid: process.pid },
    redact: { paths: REDACT, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: LOG_SERIALIZERS,
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const ctx = currentRequestContext();
      if (!ctx) return {};
      return {
        request_id: ctx.requestId,
        ...(ctx.userId ? { user_id: ctx.userId } : {}),
        ...(ctx.instanceId !== undefined ? { instance_id: ctx.instanceId } : {}),
      };
    },
    ...(pretty ? { transport: { target: "pino-pretty", options: { colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid" } } } : {}),
  });
}

/** The process-wide logger (shared by the custom server and Next's bundles). */
export function logger(): Logger {
  store.__manageLogger ??= createLogger();
  return store.__manageLogger;
}

/** Tests: replace the logger (e.g. with one writing into a buffer). */
export function setLoggerForTests(next: Logger | undefined) {
  store.__manageLogger = next;
}
