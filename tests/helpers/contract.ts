/**
 * One check for every HTTP answer a test sees: is it what the published
 * OpenAPI document promises? The status must be documented for the operation,
 * a JSON body must validate against the documented schema (Ajv, JSON Schema
 * 2020-12 as OpenAPI 3.1 uses it), and every documented response header must
 * be present. `expectDocumented` fails the test that saw a violation.
 */
import Ajv2020 from "ajv/dist/2020";
import { expect } from "vitest";
import { openApiDocument } from "@/lib/doors/v1/openapi";

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema?: unknown }> }> }>> };

let ajv: Ajv2020 | undefined;
function validator() {
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema({ ...(openApiDocument() as object), $id: "openapi" });
  }
  return ajv;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

export type Answer = { status: number; headers: Headers; json?: unknown; text?: string };

/** The violations of one answer (empty when it is as documented). */
export function contractViolations(method: string, apiPath: string, answer: Answer, document: Doc = openApiDocument() as unknown as Doc): string[] {
  const op = document.paths[apiPath]?.[method.toLowerCase()];
  if (!op) return [`${method} ${apiPath}: operation not documented`];
  const response = op.responses[String(answer.status)];
  if (!response) return [`${method} ${apiPath}: status ${answer.status} not documented (${Object.keys(op.responses).join(", ")})`];
  const problems: string[] = [];
  for (const header of Object.keys(response.headers ?? {})) {
    if (!answer.headers.has(header)) problems.push(`${method} ${apiPath} ${answer.status}: header ${header} missing`);
  }
  const type = answer.headers.get("content-type")?.split(";")[0]?.trim();
  const content = response.content ?? {};
  if (type === "application/json") {
    if (!content["application/json"]) problems.push(`${method} ${apiPath} ${answer.status}: JSON body, none documented`);
    else if (content["application/json"].schema) {
      const ref = `openapi#/${pointer("paths", apiPath, method.toLowerCase(), "responses", String(answer.status), "content", "application/json", "schema")}`;
      const validate = document === (openApiDocument() as unknown) ? validator().getSchema(ref) : new Ajv2020({ strict: false, validateFormats: false, allErrors: true }).addSchema({ ...document, $id: "openapi" }).getSchema(ref);
      if (validate && !validate(answer.json)) {
        problems.push(...(validate.errors ?? []).map((e) => `${method} ${apiPath} ${answer.status}: body${e.instancePath} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`));
      }
    }
  } else if (type && Object.keys(content).length > 0 && !content[type]) {
    problems.push(`${method} ${apiPath} ${answer.status}: content type ${type} not documented`);
  }
  return problems;
}

/** Fails the test when the answer breaks the document; returns the answer for chaining. */
export function expectDocumented<T extends Answer>(method: string, apiPath: string, answer: T): T {
  expect(contractViolations(method, apiPath, answer)).toEqual([]);
  return answer;
}
