import type { Metadata } from "next";
import { Badge, Card } from "@/components/ui/card";
import { requireMe } from "@/lib/auth/page-guard";
import { openApiDocument } from "@/lib/v1/openapi";

export const metadata: Metadata = { title: "API-Referenz" };

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; enum?: unknown[]; $ref?: string; description?: string; items?: Schema; anyOf?: Schema[]; format?: string; pattern?: string };
type Operation = {
  tags?: string[];
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema; description?: string }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string }>;
};

const METHODS = ["get", "post", "put", "patch", "delete"] as const;
const METHOD_TONE = { get: "blue", post: "green", put: "amber", patch: "amber", delete: "red" } as const;

function resolve(schema: Schema | undefined, components: Record<string, Schema>): Schema | undefined {
  if (schema?.$ref) return components[schema.$ref.split("/").pop()!];
  return schema;
}

function typeLabel(schema: Schema | undefined, components: Record<string, Schema>): string {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop()!;
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.anyOf) return schema.anyOf.map((s) => typeLabel(s, components)).join(" | ");
  if (schema.type === "array") return `${typeLabel(schema.items, components)}[]`;
  return Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "");
}

function Fields({ schema, components }: { schema: Schema | undefined; components: Record<string, Schema> }) {
  const resolved = resolve(schema, components);
  if (!resolved?.properties) return null;
  return (
    <ul className="mt-1 space-y-0.5 text-xs">
      {Object.entries(resolved.properties).map(([name, prop]) => (
        <li key={name}>
          <code className="font-semibold">{name}</code>
          {resolved.required?.includes(name) ? "" : " (optional)"}: <span className="text-slate-600">{typeLabel(prop, components)}</span>
          {prop.description && <span className="text-slate-500"> – {prop.description}</span>}
        </li>
      ))}
    </ul>
  );
}

/** Readable German API reference, rendered from the same generated OpenAPI document as /api/v1/openapi.json. */
export default async function ApiReferencePage() {
  await requireMe();
  const doc = openApiDocument() as unknown as {
    info: { title: string; description?: string };
    tags?: { name: string; description?: string }[];
    paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
    components?: { schemas?: Record<string, Schema> };
  };
  const components = doc.components?.schemas ?? {};
  const byTag = new Map<string, { path: string; method: (typeof METHODS)[number]; op: Operation }[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? "Sonstige";
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ path, method, op });
    }
  }

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">API-Referenz</h1>
      <Card>
        <div className="space-y-3 text-sm text-slate-700">
          <p>{doc.info.description}</p>
          <p>
            Maschinenlesbar als OpenAPI 3.1:{" "}
            <a href="/api/v1/openapi.json" className="text-brand-700 underline">
              /api/v1/openapi.json
            </a>
          </p>
          <h2 className="pt-2 font-semibold text-slate-900">Schnellstart API v1</h2>
          <ol className="list-decimal space-y-1 pl-5">
            <li>
              <code>POST /api/v1/auth/login</code> mit E-Mail und Passwort → <code>access_token</code> und <code>refresh_token</code>. Mit aktiver 2FA
              kommt stattdessen <code>challenge_token</code>; den 8-stelligen Code aus der E-Mail an <code>/api/v1/auth/2fa/verify</code> senden.
            </li>
            <li>
              Anfragen mit <code>Authorization: Bearer &lt;access_token&gt;</code>. Ein abgelaufenes Token mit <code>POST /api/v1/auth/refresh</code> und
              dem Refresh-Token erneuern – jeder Refresh-Token gilt nur einmal.
            </li>
            <li>
              Für Skripte: einen API-Schlüssel unter <a href="/konto#api-schluessel" className="text-brand-700 underline">Konto → API-Schlüssel</a>{" "}
              erstellen (Scope „read“ oder „read_write“).
            </li>
            <li>
              Rate-Limits: Login und 2FA 10 Anfragen/min pro IP, sonst 600/min pro Benutzer; bei Überschreitung 429 mit <code>Retry-After</code>.
              Der <code>exp</code>-Claim wird mit 30 s Toleranz geprüft – halten Sie die Uhr per NTP synchron.
            </li>
            <li>
              MSP-Mitarbeiter wählen einen Tenant mit <code>?tenant_id=&lt;uuid&gt;</code>; ohne Angabe gilt der eigene Tenant (bei MSP-Mitarbeitern: alle).
            </li>
          </ol>
        </div>
      </Card>
      {[...byTag.entries()].map(([tag, ops]) => (
        <Card key={tag} title={tag}>
          {doc.tags?.find((t) => t.name === tag)?.description && <p className="mb-3 text-sm text-slate-600">{doc.tags.find((t) => t.name === tag)!.description}</p>}
          <ul className="divide-y divide-slate-200">
            {ops.map(({ path, method, op }) => (
              <li key={`${method} ${path}`} className="py-3">
                <p className="flex flex-wrap items-center gap-2">
                  <Badge tone={METHOD_TONE[method]}>{method.toUpperCase()}</Badge>
                  <code className="break-all text-sm font-semibold">{path}</code>
                </p>
                {op.summary && <p className="mt-1 text-sm">{op.summary}</p>}
                {op.description && <p className="mt-1 text-sm text-slate-600">{op.description}</p>}
                {op.parameters && op.parameters.length > 0 && (
                  <div className="mt-2 text-xs">
                    <p className="font-medium text-slate-700">Parameter</p>
                    <ul>
                      {op.parameters.map((p) => (
                        <li key={`${p.in}-${p.name}`}>
                          <code className="font-semibold">{p.name}</code> ({p.in === "path" ? "Pfad" : p.in === "query" ? "Query" : p.in}
                          {p.required ? ", Pflicht" : ""}): {typeLabel(p.schema, components)}
                          {(p.description ?? p.schema?.description) && <span className="text-slate-500"> – {p.description ?? p.schema?.description}</span>}
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
                {op.requestBody?.content?.["application/json"] && (
                  <div className="mt-2 text-xs">
                    <p className="font-medium text-slate-700">Anfrage (JSON)</p>
                    <Fields schema={op.requestBody.content["application/json"].schema} components={components} />
                  </div>
                )}
                {op.responses && (
                  <div className="mt-2 text-xs">
                    <p className="font-medium text-slate-700">Antworten</p>
                    <ul>
                      {Object.entries(op.responses).map(([code, r]) => (
                        <li key={code}>
                          <code className="font-semibold">{code}</code> {r.description}
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
              </li>
            ))}
          </ul>
        </Card>
      ))}
    </div>
  );
}
