/**
 * The Playwright `test` of every spec: the portal runs with its
 * Content-Security-Policy on, and any violation fails the test. Violations
 * are caught twice: the `securitypolicyviolation` event in every page (an
 * init script reports it through a binding) and Chromium's console message
 * ("Refused to … because it violates the following Content Security Policy
 * directive"). Specs import `test` and `expect` from here instead of
 * "@playwright/test".
 *
 * Every answer of the portal's APIs (`/api/manage/*`, `/api/v1/*`) that a
 * page receives is checked against the published OpenAPI document
 * (`/api/v1/openapi.json`, the one integrators download): documented status,
 * body valid against its schema, promised headers present
 * (tests/helpers/contract-core.ts). A violation fails the test that saw it;
 * CONTRACT_LOG=<file> collects them instead (survey mode).
 */
import { appendFileSync } from "node:fs";
import { test as base, type APIResponse, type BrowserContext } from "@playwright/test";
import { isApiPath, requestViolations, type OpenApiDoc } from "../tests/helpers/contract-core";
import { stackPort } from "./stack";

export * from "@playwright/test";

type Violation = { page: string; detail: string };

async function watchCsp(context: BrowserContext, violations: Violation[]) {
  await context.exposeBinding("__reportCspViolation", ({ page }, detail: string) => {
    violations.push({ page: page.url(), detail });
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __reportCspViolation?: (d: string) => void }).__reportCspViolation;
      report?.(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  const onPage = (page: import("@playwright/test").Page) =>
    page.on("console", (message) => {
      const text = message.text();
      if (/Content Security Policy/i.test(text)) violations.push({ page: page.url(), detail: text });
    });
  context.pages().forEach(onPage);
  context.on("page", onPage);
}

let publishedDocument: Promise<OpenApiDoc> | undefined;

type SeenAnswer = { url: string; method: string; status: number; headers: Record<string, string>; json: () => Promise<unknown> };

/** Checks one answer; what is not an API answer (pages, assets, NextAuth, dev tools) is left alone. */
/**
 * The browser does not always settle a response's headers or body (a download, an answer of a page that
 * is already gone): waited for at most this long, then the check goes on without it.
 */
const SETTLE_MS = 5_000;
function settled<T>(promise: Promise<T>, fallback: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback()), SETTLE_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function checkApiAnswer(answer: SeenAnswer, document: OpenApiDoc, problems: string[]) {
  const { pathname } = new URL(answer.url);
  if (!isApiPath(pathname)) return;
  const headers = new Headers(answer.headers);
  const isJson = headers.get("content-type")?.startsWith("application/json");
  // A page that navigates on can take its answers' bodies with it: then only status and headers are checked.
  const read = isJson ? await settled(answer.json().then((json) => ({ json }), () => null), () => null) : { json: undefined };
  problems.push(...requestViolations(document, answer.method, pathname, { status: answer.status, headers, json: read?.json, bodyUnread: read === null }));
}

export const test = base.extend<{ cspViolations: Violation[]; apiContract: string[] }>({
  // Worker i talks to stack i (playwright.config.ts, E2E_STACKS): pages, contexts and `request` all start from it.
  baseURL: async ({}, use, testInfo) => {
    await use(`http://localhost:${stackPort(testInfo.parallelIndex)}`);
  },
  apiContract: [
    async ({ context, baseURL }, use, testInfo) => {
      // Always on: a violation fails the test that saw it. Survey mode: CONTRACT_LOG=<file> collects them instead.
      const logFile = process.env.CONTRACT_LOG;
      publishedDocument ??= fetch(new URL("/api/v1/openapi.json", baseURL)).then((res) => res.json() as Promise<OpenApiDoc>);
      const document = await publishedDocument;
      const problems: string[] = [];
      const pending: Promise<void>[] = [];
      context.on("response", (response) => {
        pending.push(
          settled(response.allHeaders(), () => response.headers())
            .then((headers) => checkApiAnswer({ url: response.url(), method: response.request().method(), status: response.status(), headers, json: () => response.json() }, document, problems))
            .catch(() => {}),
        );
      });
      // Calls a spec makes itself through the context's request client (`page.request`) are checked too.
      const client = context.request as unknown as Record<string, (...args: unknown[]) => Promise<APIResponse>>;
      for (const name of ["get", "post", "put", "patch", "delete", "head", "fetch"]) {
        const original = client[name]!.bind(context.request);
        client[name] = async (...args: unknown[]) => {
          const response = await original(...args);
          const method = name === "fetch" ? String((args[1] as { method?: string } | undefined)?.method ?? "GET").toUpperCase() : name.toUpperCase();
          await checkApiAnswer({ url: response.url(), method, status: response.status(), headers: response.headers(), json: () => response.json() }, document, problems);
          return response;
        };
      }
      await use(problems);
      await Promise.all(pending);
      if (problems.length === 0) return;
      if (logFile) appendFileSync(logFile, problems.map((problem) => JSON.stringify({ file: testInfo.file, test: testInfo.title, problem })).join("\n") + "\n");
      if (!logFile) {
        testInfo.annotations.push({ type: "openapi", description: JSON.stringify(problems) });
        throw new Error(`Antworten weichen vom OpenAPI-Dokument ab:\n${[...new Set(problems)].join("\n")}`);
      }
    },
    { auto: true },
  ],
  cspViolations: [
    async ({ context }, use, testInfo) => {
      const violations: Violation[] = [];
      await watchCsp(context, violations);
      await use(violations);
      if (violations.length > 0) {
        testInfo.annotations.push({ type: "csp", description: JSON.stringify(violations) });
        throw new Error(`Content-Security-Policy-Verstöße:\n${violations.map((v) => `${v.page}: ${v.detail}`).join("\n")}`);
      }
    },
    { auto: true },
  ],
});
