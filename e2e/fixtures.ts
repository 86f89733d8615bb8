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
 * body valid against its schema, promised headers present. A violation fails
 * the test that saw it (tests/helpers/contract-core.ts).
 */
import { appendFileSync } from "node:fs";
import { test as base, type APIResponse, type BrowserContext, type Response } from "@playwright/test";
import { requestViolations, type OpenApiDoc } from "../tests/helpers/contract-core";

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

/** Checks one answer; what is not an API answer (pages, assets, NextAuth, dev tools) is left alone. */
async function checkApiAnswer(response: Response, document: OpenApiDoc, problems: string[]) {
  const url = new URL(response.url());
  if (!/^\/api\/(manage|v1)\//.test(url.pathname)) return;
  const method = response.request().method();
  const headers = new Headers(await response.allHeaders());
  let json: unknown;
  if (headers.get("content-type")?.startsWith("application/json")) json = await response.json().catch(() => undefined);
  problems.push(...requestViolations(document, method, url.pathname, { status: response.status(), headers, json }));
}

export const test = base.extend<{ cspViolations: Violation[]; apiContract: string[] }>({
  apiContract: [
    async ({ context, baseURL }, use, testInfo) => {
      publishedDocument ??= fetch(new URL("/api/v1/openapi.json", baseURL)).then((res) => res.json() as Promise<OpenApiDoc>);
      const document = await publishedDocument;
      const problems: string[] = [];
      const pending: Promise<void>[] = [];
      context.on("response", (response) => {
        pending.push(checkApiAnswer(response, document, problems).catch(() => {}));
      });
      // Calls a spec makes itself through the context's request client (`page.request`) are checked too.
      const client = context.request as unknown as Record<string, (...args: unknown[]) => Promise<APIResponse>>;
      for (const name of ["get", "post", "put", "patch", "delete", "head", "fetch"]) {
        const original = client[name]!.bind(context.request);
        client[name] = async (...args: unknown[]) => {
          const response = await original(...args);
          const url = new URL(response.url());
          if (/^\/api\/(manage|v1)\//.test(url.pathname)) {
            const method = name === "fetch" ? String((args[1] as { method?: string } | undefined)?.method ?? "GET").toUpperCase() : name.toUpperCase();
            const headers = new Headers(response.headers());
            const json = headers.get("content-type")?.startsWith("application/json") ? await response.json().catch(() => undefined) : undefined;
            problems.push(...requestViolations(document, method, url.pathname, { status: response.status(), headers, json }));
          }
          return response;
        };
      }
      await use(problems);
      await Promise.all(pending);
      if (process.env.CONTRACT_LOG && problems.length > 0) {
        appendFileSync(process.env.CONTRACT_LOG, problems.map((problem) => JSON.stringify({ file: testInfo.file, test: testInfo.title, problem })).join("\n") + "\n");
      }
      // Until every operation is documented, a violation fails the test only with CONTRACT_STRICT=1.
      if (problems.length > 0 && process.env.CONTRACT_STRICT === "1") {
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
