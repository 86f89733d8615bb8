/**
 * The response check shared by vitest (tests/helpers/contract.ts) and Playwright (e2e/fixtures.ts):
 * is an HTTP answer what the OpenAPI document promises? The status must be documented for the
 * operation, a JSON body must validate against the documented schema (Ajv, JSON Schema 2020-12 as
 * OpenAPI 3.1 uses it), and every documented response header must be present. No test framework
 * here: the caller decides how a violation fails.
 */
import Ajv2020 from "ajv/dist/2020.js";

export type OpenApiDoc = { paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema?: unknown }> }> }>> };
/** `bodyUnread`: the body could not be read (a browser answer whose page navigated on); status and headers are still checked. */
export type Answer = { status: number; headers: Headers; json?: unknown; text?: string; bodyUnread?: boolean };

type Template = { path: string; pattern: RegExp; staticChars: number };
const compiled = new WeakMap<object, { ajv: Ajv2020; templates: Template[] }>();

function prepared(document: OpenApiDoc) {
  let entry = compiled.get(document);
  if (!entry) {
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema({ ...(document as object), $id: "openapi" });
    const templates = Object.keys(document.paths).map((p) => ({
      path: p,
      pattern: new RegExp(`^${p.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&")).join("[^/]+")}$`),
      staticChars: p.replace(/\{[^}]+\}/g, "").length,
    }));
    entry = { ajv, templates };
    compiled.set(document, entry);
  }
  return entry;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

/** Whether a request path belongs to the API families the document describes (/api/manage, /api/v1). */
export function isApiPath(requestPath: string): boolean {
  return /^\/api\/(manage|v1)\//.test(requestPath.replace(/^https?:\/\/[^/]+/, ""));
}

/** The documented path template a concrete request path belongs to (the most specific one), or null. */
export function documentedTemplate(document: OpenApiDoc, requestPath: string): string | null {
  const pathname = requestPath.split("?")[0]!.replace(/^https?:\/\/[^/]+/, "");
  let best: Template | undefined;
  for (const t of prepared(document).templates) if (t.pattern.test(pathname) && (!best || t.staticChars > best.staticChars)) best = t;
  return best?.path ?? null;
}

/** The violations of one answer to an operation given by its path template (empty when it is as documented). */
export function contractViolations(document: OpenApiDoc, method: string, apiPath: string, answer: Answer): string[] {
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
    else if (content["application/json"].schema && !answer.bodyUnread) {
      const ref = `openapi#/${pointer("paths", apiPath, method.toLowerCase(), "responses", String(answer.status), "content", "application/json", "schema")}`;
      const validate = prepared(document).ajv.getSchema(ref);
      if (validate && !validate(answer.json)) {
        problems.push(...(validate.errors ?? []).map((e) => `${method} ${apiPath} ${answer.status}: body${e.instancePath} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`));
      }
    }
  } else if (type && Object.keys(content).length > 0 && !content[type]) {
    problems.push(`${method} ${apiPath} ${answer.status}: content type ${type} not documented`);
  }
  return problems;
}

/** The violations of an answer to a concrete request path (the template is looked up). */
export function requestViolations(document: OpenApiDoc, method: string, requestPath: string, answer: Answer): string[] {
  const template = documentedTemplate(document, requestPath);
  return template ? contractViolations(document, method, template, answer) : [`${method} ${requestPath.split("?")[0]}: path not documented`];
}
