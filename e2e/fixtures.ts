/**
 * The Playwright `test` of every spec: the portal runs with its
 * Content-Security-Policy on, and any violation fails the test. Violations
 * are caught twice: the `securitypolicyviolation` event in every page (an
 * init script reports it through a binding) and Chromium's console message
 * ("Refused to … because it violates the following Content Security Policy
 * directive"). Specs import `test` and `expect` from here instead of
 * "@playwright/test".
 */
import { test as base, type BrowserContext } from "@playwright/test";

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

export const test = base.extend<{ cspViolations: Violation[] }>({
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
