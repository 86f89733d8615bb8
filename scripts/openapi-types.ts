/**
 * Emits an openapi-typescript-compatible `paths` type (plus the `components`
 * it references) from the generated OpenAPI document, for `openapi-fetch`'s
 * `createClient<paths>()`. openapi-typescript itself cannot be installed here
 * (peer typescript ^5), so this covers the JSON-Schema subset zod-openapi
 * writes: $ref, type (also as array), enum, const, anyOf/oneOf/allOf,
 * properties/required, additionalProperties, items.
 *
 *   npx tsx scripts/openapi-types.ts [--out file] [/api/path …]
 *
 * Without paths: every path of the document. tests/openapi/client.test.ts keeps
 * its generated file in sync with this output.
 */
import { writeFileSync } from "node:fs";

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  description?: string;
};
type Parameter = { name: string; in: string; required?: boolean; schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
};
type Document = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));
const pad = (depth: number) => "    ".repeat(depth);

function typeOf(schema: Schema | undefined, depth: number, refs: Set<string>): string {
  if (!schema || Object.keys(schema).length === 0) return "unknown";
  if (schema.$ref) {
    const name = schema.$ref.replace("#/components/schemas/", "");
    refs.add(name);
    return `components["schemas"][${JSON.stringify(name)}]`;
  }
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.anyOf ?? schema.oneOf) return (schema.anyOf ?? schema.oneOf)!.map((s) => typeOf(s, depth, refs)).join(" | ");
  if (schema.allOf) return schema.allOf.map((s) => `(${typeOf(s, depth, refs)})`).join(" & ");
  if (Array.isArray(schema.type)) return schema.type.map((t) => typeOf({ ...schema, type: t }, depth, refs)).join(" | ");
  switch (schema.type) {
    case "string":
      return "string";
    case "number":
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
      return `(${typeOf(schema.items, depth, refs)})[]`;
    case "object":
    case undefined: {
      const lines = Object.entries(schema.properties ?? {}).map(
        ([name, prop]) => `${pad(depth + 1)}${key(name)}${schema.required?.includes(name) ? "" : "?"}: ${typeOf(prop, depth + 1, refs)};`,
      );
      const extra = schema.additionalProperties;
      if (extra === true || (extra === undefined && lines.length === 0)) lines.push(`${pad(depth + 1)}[key: string]: unknown;`);
      else if (extra && typeof extra === "object") lines.push(`${pad(depth + 1)}[key: string]: ${typeOf(extra, depth + 1, refs)};`);
      return lines.length ? `{\n${lines.join("\n")}\n${pad(depth)}}` : "Record<string, never>";
    }
    default:
      return "unknown";
  }
}

function parametersType(params: Parameter[], depth: number, refs: Set<string>) {
  const lines = (["query", "header", "path", "cookie"] as const).map((place) => {
    const list = params.filter((p) => p.in === place);
    if (!list.length) return `${pad(depth + 1)}${place}?: never;`;
    const fields = list.map((p) => `${pad(depth + 2)}${key(p.name)}${p.required ? "" : "?"}: ${typeOf(p.schema, depth + 2, refs)};`).join("\n");
    const optional = list.every((p) => !p.required) ? "?" : "";
    return `${pad(depth + 1)}${place}${optional}: {\n${fields}\n${pad(depth + 1)}};`;
  });
  return `{\n${lines.join("\n")}\n${pad(depth)}}`;
}

function contentType(content: Record<string, { schema?: Schema }> | undefined, depth: number, refs: Set<string>) {
  if (!content) return "never";
  const lines = Object.entries(content).map(([media, { schema }]) => `${pad(depth + 1)}${JSON.stringify(media)}: ${typeOf(schema, depth + 1, refs)};`);
  return `{\n${lines.join("\n")}\n${pad(depth)}}`;
}

function operationType(op: Operation, depth: number, refs: Set<string>) {
  const lines = [`${pad(depth + 1)}parameters: ${parametersType(op.parameters ?? [], depth + 1, refs)};`];
  if (op.requestBody) {
    lines.push(`${pad(depth + 1)}requestBody${op.requestBody.required ? "" : "?"}: {\n${pad(depth + 2)}content: ${contentType(op.requestBody.content, depth + 2, refs)};\n${pad(depth + 1)}};`);
  } else {
    lines.push(`${pad(depth + 1)}requestBody?: never;`);
  }
  const responses = Object.entries(op.responses ?? {}).map(([code, response]) => {
    const name = /^\d+$/.test(code) ? code : JSON.stringify(code);
    return `${pad(depth + 2)}${name}: {\n${pad(depth + 3)}headers: {\n${pad(depth + 4)}[name: string]: unknown;\n${pad(depth + 3)}};\n${pad(depth + 3)}content${response.content ? "" : "?"}: ${contentType(response.content, depth + 3, refs)};\n${pad(depth + 2)}};`;
  });
  lines.push(`${pad(depth + 1)}responses: {\n${responses.join("\n")}\n${pad(depth + 1)}};`);
  return `{\n${lines.join("\n")}\n${pad(depth)}}`;
}

/** The TypeScript source of `paths` and `components` for the given paths (all when empty). */
export function generatePathsType(doc: Document, only: string[] = []): string {
  const refs = new Set<string>();
  const selected = Object.keys(doc.paths).filter((p) => only.length === 0 || only.includes(p));
  const missing = only.filter((p) => !doc.paths[p]);
  if (missing.length) throw new Error(`Nicht im Dokument: ${missing.join(", ")}`);
  const pathBlocks = selected.map((apiPath) => {
    const item = doc.paths[apiPath];
    const lines = [`${pad(2)}parameters: {\n${pad(3)}query?: never;\n${pad(3)}header?: never;\n${pad(3)}path?: never;\n${pad(3)}cookie?: never;\n${pad(2)}};`];
    for (const method of METHODS) lines.push(item[method] ? `${pad(2)}${method}: ${operationType(item[method], 2, refs)};` : `${pad(2)}${method}?: never;`);
    return `${pad(1)}${JSON.stringify(apiPath)}: {\n${lines.join("\n")}\n${pad(1)}};`;
  });
  // Component schemas, including those only reachable through other components.
  const schemas = doc.components?.schemas ?? {};
  const emitted = new Map<string, string>();
  for (let pending = [...refs]; pending.length; pending = [...refs].filter((r) => !emitted.has(r))) {
    for (const name of pending) emitted.set(name, typeOf(schemas[name], 2, refs));
  }
  const componentLines = [...emitted.keys()].sort().map((name) => `${pad(2)}${JSON.stringify(name)}: ${emitted.get(name)};`);
  return [
    "/* Generated by scripts/openapi-types.ts from /api/v1/openapi.json – do not edit. */",
    "",
    `export interface paths {\n${pathBlocks.join("\n")}\n}`,
    "",
    `export interface components {\n${pad(1)}schemas: {\n${componentLines.join("\n")}\n${pad(1)}};\n}`,
    "",
  ].join("\n");
}

async function main() {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf("--out");
  const out = outIndex >= 0 ? args.splice(outIndex, 2)[1] : undefined;
  const { openApiDocument } = await import("../lib/v1/openapi");
  const source = generatePathsType(openApiDocument() as unknown as Document, args);
  if (out) writeFileSync(out, source);
  else process.stdout.write(source);
}

if (process.argv[1]?.endsWith("openapi-types.ts")) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
