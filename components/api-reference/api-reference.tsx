"use client";

import { useMemo, useState } from "react";
import { Badge, Card } from "@/components/ui/card";
import { matchesSearch, type ReferenceGroup } from "./model";

const METHOD_TONE = { get: "blue", post: "green", put: "amber", patch: "amber", delete: "red" } as const;

/** Table of contents, search box and the operations of the API reference (filtered in the browser). */
export function ApiReference({ groups }: { groups: ReferenceGroup[] }) {
  const [query, setQuery] = useState("");
  const filtered = useMemo(
    () => groups.map((g) => ({ ...g, operations: g.operations.filter((op) => matchesSearch(op, g.tag, query)) })).filter((g) => g.operations.length > 0),
    [groups, query],
  );
  const total = filtered.reduce((sum, g) => sum + g.operations.length, 0);

  return (
    <div className="space-y-4">
      <Card>
        <label htmlFor="api-search" className="block text-sm font-medium text-slate-700">
          Schnittstellen durchsuchen
        </label>
        <input
          id="api-search"
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="z. B. rechnung, login, POST hosts"
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm sm:text-sm"
        />
        <p className="mt-2 text-xs text-slate-500" role="status" aria-live="polite">
          {total === 1 ? "1 Schnittstelle" : `${total} Schnittstellen`}
        </p>
        <nav aria-label="Inhaltsverzeichnis" className="mt-3">
          <h2 className="text-sm font-semibold text-slate-900">Inhalt</h2>
          <ul className="mt-1 grid gap-x-6 gap-y-0.5 text-sm sm:grid-cols-2">
            {filtered.map((g) => (
              <li key={g.anchor}>
                <a href={`#${g.anchor}`} className="text-brand-700 underline">
                  {g.tag}
                </a>{" "}
                <span className="text-slate-500">({g.operations.length})</span>
              </li>
            ))}
          </ul>
        </nav>
      </Card>

      {filtered.length === 0 && <p className="text-sm text-slate-600">Keine Schnittstelle passt zu „{query}“.</p>}

      {filtered.map((g) => (
        <div id={g.anchor} key={g.anchor} className="scroll-mt-20">
          <Card title={g.tag}>
            {g.description && <p className="mb-3 text-sm text-slate-600">{g.description}</p>}
            <ul className="divide-y divide-slate-200">
              {g.operations.map((op) => (
                <li key={op.id} id={op.id} className="py-3" data-testid="api-operation">
                  <p className="flex flex-wrap items-center gap-2">
                    <Badge tone={METHOD_TONE[op.method]}>{op.method.toUpperCase()}</Badge>
                    <code className="break-all text-sm font-semibold">{op.path}</code>
                    {op.isPublic && <Badge>ohne Anmeldung</Badge>}
                  </p>
                  {op.summary && <p className="mt-1 text-sm">{op.summary}</p>}
                  {op.description && <p className="mt-1 text-sm text-slate-600">{op.description}</p>}
                  {op.params.length > 0 && (
                    <div className="mt-2 text-xs">
                      <p className="font-medium text-slate-700">Parameter</p>
                      <ul>
                        {op.params.map((p) => (
                          <li key={`${p.place}-${p.name}`}>
                            <code className="font-semibold">{p.name}</code> ({p.place}
                            {p.required ? ", Pflicht" : ""}): {p.type}
                            {p.description && <span className="text-slate-500"> – {p.description}</span>}
                          </li>
                        ))}
                      </ul>
                    </div>
                  )}
                  {op.bodyFields.length > 0 && (
                    <div className="mt-2 text-xs">
                      <p className="font-medium text-slate-700">Anfrage (JSON)</p>
                      <ul className="mt-1 space-y-0.5">
                        {op.bodyFields.map((f) => (
                          <li key={f.name}>
                            <code className="font-semibold">{f.name}</code>
                            {f.required ? "" : " (optional)"}: <span className="text-slate-600">{f.type}</span>
                            {f.description && <span className="text-slate-500"> – {f.description}</span>}
                          </li>
                        ))}
                      </ul>
                    </div>
                  )}
                  <div className="mt-2 text-xs">
                    <p className="font-medium text-slate-700">Antworten</p>
                    <ul>
                      {op.responses.map((r) => (
                        <li key={r.code}>
                          <code className="font-semibold">{r.code}</code> {r.description}
                        </li>
                      ))}
                    </ul>
                  </div>
                  <details className="mt-2 text-xs">
                    <summary className="cursor-pointer font-medium text-slate-700">Beispiel mit curl</summary>
                    <pre className="mt-1 overflow-x-auto rounded-lg bg-slate-900 p-3 text-slate-100">
                      <code>{op.curl}</code>
                    </pre>
                  </details>
                </li>
              ))}
            </ul>
          </Card>
        </div>
      ))}
    </div>
  );
}
