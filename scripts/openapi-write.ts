/**
 * Writes the OpenAPI document (lib/doors/v1/openapi.ts, the same one
 * /api/v1/openapi.json serves) to a file, for the tools that read files, and
 * the TypeScript types generated from it:
 *
 *   npx tsx scripts/openapi-write.ts [file]           the document (default .data/openapi.json)
 *   npx tsx scripts/openapi-write.ts --types [file]   openapi-typescript's types (default lib/client/api-types.d.ts)
 *
 * `npm run lint:openapi` lints the written document with Redocly's recommended
 * rules (redocly.yaml); `npm run openapi:types` refreshes lib/client/api-types.d.ts,
 * the `paths` type for openapi-fetch's `createClient<paths>()`.
 * tests/openapi/client.test.ts fails when that file differs from a fresh generation.
 *
 * The document does not depend on the environment (its server URL is
 * relative), so both files are the same wherever they are written.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from "openapi-typescript";
import { openApiDocument } from "@/lib/doors/v1/openapi";

export const API_TYPES_FILE = "lib/client/api-types.d.ts";

/** The document as plain JSON (what /api/v1/openapi.json answers). */
export function openApiJson(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}

/** openapi-typescript's output for the document: `paths`, `components`, `operations`. */
export async function generateApiTypes(): Promise<string> {
  const ast = await openapiTS(JSON.parse(openApiJson()) as OpenAPI3, { silent: true });
  return `${COMMENT_HEADER.trimEnd()}\n/* Source: lib/doors/v1/openapi.ts. Refresh with \`npm run openapi:types\`. */\n\n${astToString(ast)}`;
}

function write(file: string, text: string) {
  const out = path.resolve(file);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, text);
  return path.relative(process.cwd(), out) || out;
}

async function main(args: string[]) {
  if (args[0] === "--types") {
    console.log(`Typen geschrieben: ${write(args[1] ?? API_TYPES_FILE, await generateApiTypes())}`);
  } else {
    console.log(`OpenAPI-Dokument geschrieben: ${write(args[0] ?? ".data/openapi.json", openApiJson())}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main(process.argv.slice(2));
}
