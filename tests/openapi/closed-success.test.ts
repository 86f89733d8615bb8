/**
 * Every JSON success body the document promises is closed: each object, at any depth (after
 * resolving $ref, through arrays, nullable unions and allOf/anyOf/oneOf), says
 * additionalProperties: false and names at least one property, or is a map over a fixed list of
 * keys. An "any object" answer types nothing for a client and lets the response check of the
 * tests (tests/helpers/contract.ts) pass whatever the route sends.
 * The only open objects are the maps below, each with the reason it is open.
 */
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/doors/v1/openapi";

type Schema = Record<string, unknown>;

/** "<method> <path> <status> <JSON pointer inside the body schema>" → why this object stays open. */
const OPEN_MAPS: Record<string, string> = {
  "post /api/v1/auth/passkeys/options 200 #/properties/options":
    "WebAuthn PublicKeyCredentialCreationOptions (@simplewebauthn/server), unverändert an navigator.credentials.create() gereicht",
  "post /api/manage/auth/passkey-options 200 #/properties/options":
    "WebAuthn PublicKeyCredentialRequestOptions (@simplewebauthn/server), unverändert an navigator.credentials.get() gereicht",
  "get /api/v1/openapi.json 200 #":
    "das OpenAPI-Dokument selbst (beschrieben durch die OpenAPI-3.1-Spezifikation, nicht durch dieses Dokument)",
};

function resolve(doc: Schema, schema: Schema): Schema {
  let current = schema;
  const seen = new Set<string>();
  while (typeof current.$ref === "string") {
    const ref = current.$ref;
    if (seen.has(ref)) break;
    seen.add(ref);
    const path = ref.replace(/^#\//, "").split("/");
    current = path.reduce<Schema>((node, key) => node[key] as Schema, doc);
  }
  return current;
}

/**
 * Closed: additionalProperties false with at least one named property, or a map whose keys are a
 * fixed list (propertyNames enum, every key required), e.g. the metric series per series key.
 */
function closedObject(s: Schema) {
  const properties = s.properties as Record<string, Schema> | undefined;
  if (s.additionalProperties === false) return properties !== undefined && Object.keys(properties).length > 0;
  const keys = (s.propertyNames as Schema | undefined)?.enum as string[] | undefined;
  const required = (s.required as string[] | undefined) ?? [];
  return Array.isArray(keys) && keys.length > 0 && keys.every((key) => required.includes(key));
}

/** The open objects inside one schema, as JSON pointers relative to the body. */
function openObjects(doc: Schema, schema: Schema, pointer: string, seenRefs: Set<string>, out: string[]) {
  if (typeof schema.$ref === "string") {
    if (seenRefs.has(schema.$ref)) return;
    seenRefs.add(schema.$ref);
  }
  const s = resolve(doc, schema);
  const types = Array.isArray(s.type) ? s.type : [s.type];
  const properties = s.properties as Record<string, Schema> | undefined;
  const isObject = types.includes("object") || properties !== undefined || s.additionalProperties !== undefined;
  if (isObject) {
    if (!closedObject(s)) out.push(pointer);
    for (const [name, sub] of Object.entries(properties ?? {})) openObjects(doc, sub, `${pointer}/properties/${name}`, seenRefs, out);
    if (s.additionalProperties && typeof s.additionalProperties === "object") {
      openObjects(doc, s.additionalProperties as Schema, `${pointer}/additionalProperties`, seenRefs, out);
    }
  }
  if (s.items && typeof s.items === "object") openObjects(doc, s.items as Schema, `${pointer}/items`, seenRefs, out);
  for (const key of ["allOf", "anyOf", "oneOf"] as const) {
    const list = s[key] as Schema[] | undefined;
    list?.forEach((sub, i) => openObjects(doc, sub, `${pointer}/${key}/${i}`, seenRefs, out));
  }
}

/** Every open object in a 2xx JSON body of the document: "<method> <path> <status> <pointer>". */
function openSuccessBodies(doc: Schema): string[] {
  const found: string[] = [];
  const paths = doc.paths as Record<string, Record<string, Schema>>;
  for (const [apiPath, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      const responses = (op.responses ?? {}) as Record<string, Schema>;
      for (const [status, response] of Object.entries(responses)) {
        if (!/^2\d\d$/.test(status)) continue;
        const content = resolve(doc, response).content as Record<string, { schema?: Schema }> | undefined;
        const schema = content?.["application/json"]?.schema;
        if (!schema) continue;
        const open: string[] = [];
        openObjects(doc, schema, "#", new Set(), open);
        for (const pointer of open) found.push(`${method} ${apiPath} ${status} ${pointer}`);
      }
    }
  }
  return found;
}

describe("JSON success bodies", () => {
  const doc = openApiDocument() as unknown as Schema;

  it("are closed at every object level, apart from the listed open maps", () => {
    const open = openSuccessBodies(doc).filter((where) => !(where in OPEN_MAPS));
    expect(open).toEqual([]);
  });

  it("still contain each listed open map (the allow-list does not rot)", () => {
    const open = new Set(openSuccessBodies(doc));
    expect(Object.keys(OPEN_MAPS).filter((where) => !open.has(where))).toEqual([]);
  });

  it("finds an open object nested in an array behind a $ref, an empty object and a free map, not a map over fixed keys", () => {
    const probe: Schema = {
      components: { schemas: { Row: { type: "object", properties: { extra: { type: "object", properties: { a: { type: "string" } } } }, additionalProperties: false } } },
      paths: {
        "/x": {
          get: {
            responses: {
              "200": {
                content: {
                  "application/json": {
                    schema: {
                      type: "object",
                      properties: {
                        rows: { type: "array", items: { $ref: "#/components/schemas/Row" } },
                        any: { type: "object", additionalProperties: false },
                        series: { type: "object", propertyNames: { enum: ["cpu"] }, required: ["cpu"], additionalProperties: { type: "array" } },
                        map: { type: "object", additionalProperties: { type: "string" } },
                      },
                      additionalProperties: false,
                    },
                  },
                },
              },
              "404": { content: { "application/json": { schema: { type: "object" } } } },
            },
          },
        },
      },
    };
    expect(openSuccessBodies(probe)).toEqual(["get /x 200 #/properties/rows/items/properties/extra", "get /x 200 #/properties/any", "get /x 200 #/properties/map"]);
  });
});
