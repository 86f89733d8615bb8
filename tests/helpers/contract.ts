/**
 * One check for every HTTP answer a vitest test sees (`call` in tests/helpers/http.ts runs it on
 * every answer): is it what the published OpenAPI document promises? The check itself is
 * contract-core.ts (shared with the Playwright fixture); here a violation fails the test that saw it.
 */
import { appendFileSync } from "node:fs";
import { expect } from "vitest";
import { openApiDocument } from "@/lib/doors/v1/openapi";
import { contractViolations as violationsIn, isApiPath, requestViolations, type Answer, type OpenApiDoc } from "./contract-core";

export type { Answer } from "./contract-core";

let published: OpenApiDoc | undefined;
const document = () => (published ??= openApiDocument() as unknown as OpenApiDoc);

/** The violations of one answer to an operation (path template), against the published document. */
export function contractViolations(method: string, apiPath: string, answer: Answer): string[] {
  return violationsIn(document(), method, apiPath, answer);
}

/** Fails the test when the answer breaks the document; returns the answer for chaining. */
export function expectDocumented<T extends Answer>(method: string, apiPath: string, answer: T): T {
  expect(contractViolations(method, apiPath, answer)).toEqual([]);
  return answer;
}

/**
 * The check `call` runs on every answer, always: a violation fails the test that saw it. The document
 * describes the two API families (/api/manage, /api/v1); the operational endpoints (/api/health,
 * /api/ready, /api/metrics) are deliberately not in it, like in the Playwright fixture. A call outside
 * the contract on purpose says so with `call(…, { outsideContract: "reason" })`.
 * Survey mode: with CONTRACT_LOG=<file> the violations are appended there instead of failing.
 */
export function checkAgainstDocument(method: string, requestPath: string, answer: Answer) {
  if (!isApiPath(requestPath)) return;
  const problems = requestViolations(document(), method, requestPath, answer);
  if (problems.length === 0) return;
  if (process.env.CONTRACT_LOG) {
    const state = expect.getState();
    appendFileSync(process.env.CONTRACT_LOG, problems.map((problem) => JSON.stringify({ file: state.testPath, test: state.currentTestName, problem })).join("\n") + "\n");
    return;
  }
  expect(problems, `Antwort weicht vom OpenAPI-Dokument ab: ${method} ${requestPath}`).toEqual([]);
}
