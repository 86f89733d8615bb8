/**
 * Turns the generated OpenAPI document into the serialisable model of the
 * API reference page: groups per tag (the table of contents), one entry per
 * operation with readable parameters, request fields, answers and a `curl`
 * example. Pure functions, shared by the server page and the client search.
 */

export type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  description?: string;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  format?: string;
  pattern?: string;
  example?: unknown;
  examples?: unknown[];
  default?: unknown;
};
type Parameter = { name: string; in: string; required?: boolean; schema?: Schema; description?: string };
type Operation = {
  operationId?: string;
  tags?: string[];
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string }>;
};
export type OpenApiDoc = {
  tags?: { name: string; description?: string }[];
  paths: Record<string, Partial<Record<Method, Operation>>>;
  components?: { schemas?: Record<string, Schema> };
};

export const METHODS = ["get", "post", "put", "patch", "delete"] as const;
export type Method = (typeof METHODS)[number];

export type ReferenceField = { name: string; required: boolean; type: string; description?: string };
export type ReferenceOperation = {
  id: string;
  method: Method;
  path: string;
  summary: string;
  description?: string;
  isPublic: boolean;
  params: (ReferenceField & { place: string })[];
  bodyFields: ReferenceField[];
  responses: { code: string; description: string }[];
  curl: string;
};
export type ReferenceGroup = { tag: string; anchor: string; description?: string; operations: ReferenceOperation[] };

const PLACE_LABELS: Record<string, string> = { path: "Pfad", query: "Abfrageparameter", header: "Kopfzeile" };

function resolve(schema: Schema | undefined, components: Record<string, Schema>, depth = 0): Schema | undefined {
  if (schema?.$ref && depth < 5) return resolve(components[schema.$ref.split("/").pop()!], components, depth + 1);
  return schema;
}

export function typeLabel(schema: Schema | undefined): string {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop()!;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.anyOf ?? schema.oneOf) return (schema.anyOf ?? schema.oneOf)!.map((s) => typeLabel(s)).join(" | ");
  if (schema.type === "array") return `${typeLabel(schema.items)}[]`;
  return Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "");
}

/** An example value for a schema: its own example, else the first enum value, else a neutral value of the type. */
export function exampleValue(schema: Schema | undefined, components: Record<string, Schema>, depth = 0): unknown {
  const s = resolve(schema, components);
  if (!s || depth > 4) return null;
  if (s.example !== undefined) return s.example;
  if (s.examples?.length) return s.examples[0];
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return exampleValue(variants.find((v) => v.type !== "null") ?? variants[0], components, depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  switch (type) {
    case "string":
      return s.format === "date" ? "2026-03-04" : s.format === "email" ? "name@firma.de" : s.format === "uuid" ? "00000000-0000-0000-0000-000000000000" : "…";
    case "integer":
    case "number":
      return 1;
    case "boolean":
      return false;
    case "array":
      return [exampleValue(s.items, components, depth + 1)];
    default: {
      if (!s.properties) return {};
      const required = Object.entries(s.properties).filter(([name]) => s.required?.includes(name));
      const shown = required.length ? required : Object.entries(s.properties);
      return Object.fromEntries(shown.map(([name, prop]) => [name, exampleValue(prop, components, depth + 1)]));
    }
  }
}

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** `curl` for one operation: path and required query parameters filled with examples, `$TOKEN` for the bearer token. */
export function curlExample(baseUrl: string, method: Method, apiPath: string, op: Operation, components: Record<string, Schema>): string {
  const params = op.parameters ?? [];
  let url = apiPath.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const param = params.find((p) => p.in === "path" && p.name === name);
    return encodeURIComponent(String(exampleValue(param?.schema, components) ?? name).replace(/^…$/, name));
  });
  const query = params.filter((p) => p.in === "query" && p.required);
  if (query.length) url += `?${query.map((p) => `${p.name}=${encodeURIComponent(String(exampleValue(p.schema, components)))}`).join("&")}`;
  const lines = [`curl -X ${method.toUpperCase()} ${shellQuote(baseUrl.replace(/\/$/, "") + url)}`];
  const isPublic = Array.isArray(op.security) && op.security.length === 0;
  if (!isPublic) lines.push(`-H "Authorization: Bearer $TOKEN"`);
  const content = op.requestBody?.content ?? {};
  if (content["application/json"]) {
    lines.push(`-H 'Content-Type: application/json'`);
    lines.push(`-d ${shellQuote(JSON.stringify(exampleValue(content["application/json"].schema, components)))}`);
  } else if (content["multipart/form-data"]) {
    lines.push(`-F 'file=@kontoauszug.xml'`);
  }
  return lines.join(" \\\n  ");
}

export const anchorFor = (tag: string) =>
  "api-" +
  tag
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

export function buildReference(doc: OpenApiDoc, baseUrl: string, include: (tag: string) => boolean = () => true): ReferenceGroup[] {
  const components = doc.components?.schemas ?? {};
  const groups = new Map<string, ReferenceGroup>();
  for (const tag of doc.tags ?? []) groups.set(tag.name, { tag: tag.name, anchor: anchorFor(tag.name), description: tag.description, operations: [] });
  for (const [apiPath, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? "Sonstige";
      if (!include(tag)) continue;
      if (!groups.has(tag)) groups.set(tag, { tag, anchor: anchorFor(tag), operations: [] });
      const body = resolve(op.requestBody?.content?.["application/json"]?.schema, components);
      groups.get(tag)!.operations.push({
        id: op.operationId ?? `${method}-${apiPath}`,
        method,
        path: apiPath,
        summary: op.summary ?? "",
        description: op.description,
        isPublic: Array.isArray(op.security) && op.security.length === 0,
        params: (op.parameters ?? []).map((p) => ({
          name: p.name,
          place: PLACE_LABELS[p.in] ?? p.in,
          required: p.required === true,
          type: typeLabel(p.schema),
          description: p.description ?? p.schema?.description,
        })),
        bodyFields: Object.entries(body?.properties ?? {}).map(([name, prop]) => ({
          name,
          required: body?.required?.includes(name) ?? false,
          type: typeLabel(prop),
          description: prop.description,
        })),
        responses: Object.entries(op.responses ?? {}).map(([code, r]) => ({ code, description: r.description ?? "" })),
        curl: curlExample(baseUrl, method, apiPath, op, components),
      });
    }
  }
  return [...groups.values()].filter((g) => g.operations.length > 0);
}

/** Client-side search: every word must occur in method, path, summary, description or tag. */
export function matchesSearch(op: ReferenceOperation, tag: string, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const haystack = `${op.method} ${op.path} ${op.summary} ${op.description ?? ""} ${tag} ${op.id}`.toLowerCase();
  return words.every((w) => haystack.includes(w));
}
