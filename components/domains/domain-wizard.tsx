"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { ApiError, apiFetch } from "@/lib/client/api";
import { hostForms } from "@/lib/client/hostname";
import { CopyButton } from "./copy-button";
import { HostName } from "./host-name";
import { CnameDiagnosis } from "./diagnosis";
import {
  KIND_EXAMPLES,
  KIND_PATHS,
  KIND_TITLES,
  type ApplyResponse,
  type CnameCheckView,
  type DomainKind,
  type SetDomainResponse,
} from "./types";

const STEPS = ["Domain eingeben", "DNS-Eintrag anlegen und prüfen", "Speichern und anwenden", "Fertig"];

/** While the record is not right yet, the wizard checks again by itself at this interval (the check is limited to 30 a minute). */
const AUTO_CHECK_MS = 10_000;

/** The part of the host name many DNS providers want in the "Name" field (everything before the zone). */
function relativeHost(domain: string): string | null {
  const labels = domain.split(".");
  return labels.length > 2 ? labels.slice(0, -2).join(".") : null;
}

export function DomainWizard({
  kind,
  target,
  initialDomain,
  onClose,
}: {
  kind: DomainKind;
  target: string;
  initialDomain?: string;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [input, setInput] = useState(initialDomain ?? "");
  const [inputError, setInputError] = useState<string | undefined>();
  const [domain, setDomain] = useState<string | null>(null);
  const [check, setCheck] = useState<CnameCheckView | null>(null);
  const [result, setResult] = useState<SetDomainResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  const step = result ? 3 : check?.ok ? 2 : domain ? 1 : 0;
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ["domains"] });
    void queryClient.invalidateQueries({ queryKey: ["status"] });
  };

  const runCheck = (name: string) =>
    apiFetch<CnameCheckView>("/api/manage/domains/check-cname", { method: "POST", body: { domain: name, kind } });

  const checkMutation = useMutation({
    mutationFn: runCheck,
    onMutate: () => setError(null),
    onSuccess: (data) => {
      setDomain(data.domain);
      setCheck(data);
    },
    onError: (e: Error) => {
      if (e instanceof ApiError && e.fieldErrors.domain) {
        setDomain(null);
        setCheck(null);
        setInputError(e.fieldErrors.domain[0]);
      } else setError(e.message);
    },
  });

  const saveMutation = useMutation({
    mutationFn: (name: string) => apiFetch<SetDomainResponse>(KIND_PATHS[kind], { method: "PUT", body: { domain: name } }),
    onMutate: () => setError(null),
    onSuccess: (data) => {
      setResult(data);
      refresh();
    },
    onError: (e: Error) => {
      if (e instanceof ApiError && e.body.check) {
        setCheck(e.body.check as CnameCheckView);
      } else if (e instanceof ApiError && (e.status === 409 || e.fieldErrors.domain)) {
        setDomain(null);
        setCheck(null);
        setInputError(e.fieldErrors.domain?.[0] ?? e.message);
      } else setError(e.message);
      refresh();
    },
  });

  const applyMutation = useMutation({
    mutationFn: () => apiFetch<ApplyResponse>("/api/manage/domains/apply", { method: "POST" }),
    onSuccess: (data) => {
      if (result) setResult({ ...result, applied: data.applied, message: data.message });
      refresh();
    },
    onError: (e: Error) => setError(e.message),
  });

  // Re-check by itself while the wizard is open and the record is not right yet (only while the tab is visible).
  const waiting = Boolean(domain && check && !check.ok && !result);
  const autoCheck = useQuery({
    queryKey: ["cname-check", kind, domain],
    queryFn: () => runCheck(domain!),
    enabled: waiting,
    initialData: check ?? undefined,
    initialDataUpdatedAt: check ? Date.parse(check.checked_at) || Date.now() : undefined,
    staleTime: AUTO_CHECK_MS - 1_000,
    gcTime: 0,
    refetchInterval: waiting ? AUTO_CHECK_MS : false,
    refetchIntervalInBackground: false,
    retry: false,
  });
  const latest = autoCheck.data;
  useEffect(() => {
    // Only a newer answer for the same domain replaces the shown one (a manual check may be newer).
    if (!waiting || !latest || latest.domain !== domain || !check) return;
    if (Date.parse(latest.checked_at) > Date.parse(check.checked_at)) setCheck(latest);
  }, [latest, waiting, domain, check]);

  function submitDomain(e: FormEvent) {
    e.preventDefault();
    setInputError(undefined);
    if (input.trim() === "") {
      setInputError("Bitte einen Hostnamen angeben.");
      return;
    }
    checkMutation.mutate(input);
  }

  const host = domain ? relativeHost(domain) : null;
  const forms = domain ? hostForms(domain, input) : null;

  return (
    <div className="mt-4 space-y-4 rounded-lg border border-brand-600/30 bg-slate-50 p-4" data-testid={`wizard-${kind}`}>
      <div className="flex items-start justify-between gap-3">
        <h3 className="font-semibold">Eigene Domain für {KIND_TITLES[kind]} einrichten</h3>
        <Button variant="ghost" className="min-h-8 px-2 py-1" onClick={onClose}>
          Schließen
        </Button>
      </div>
      <ol className="grid gap-1 text-xs sm:grid-cols-4" aria-label="Schritte">
        {STEPS.map((label, i) => (
          <li
            key={label}
            aria-current={i === step ? "step" : undefined}
            className={`rounded px-2 py-1 ${i === step ? "bg-brand-600 font-semibold text-white" : i < step ? "bg-emerald-100 text-emerald-900" : "bg-white text-slate-500"}`}
          >
            {i + 1}. {label}
          </li>
        ))}
      </ol>

      {error && (
        <Alert kind="error" title="Das hat nicht geklappt">
          {error}
        </Alert>
      )}

      {step === 0 && (
        <form onSubmit={submitDomain} className="space-y-3" noValidate>
          <Field
            label={`Ihre Domain für ${KIND_TITLES[kind]}`}
            name="domain"
            value={input}
            onChange={(e) => setInput(e.target.value)}
            placeholder={KIND_EXAMPLES[kind]}
            autoFocus
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            inputMode="url"
            error={inputError}
            hint="Nur den Hostnamen angeben, ohne https:// und ohne Pfad. Umlaute sind erlaubt."
          />
          <Button type="submit" busy={checkMutation.isPending}>
            Weiter
          </Button>
        </form>
      )}

      {step >= 1 && step < 3 && domain && forms && (
        <div className="space-y-4">
          <div className="space-y-2">
            <p className="text-sm">
              Legen Sie bei Ihrem DNS-Anbieter (dort, wo Sie <strong>{forms.unicode}</strong> verwalten) genau diesen Eintrag an:
            </p>
            {forms.unicode !== forms.ascii && (
              <p className="text-xs text-slate-600" data-testid="punycode-hint">
                Ihre Domain enthält Umlaute oder Sonderzeichen. Viele DNS-Anbieter erwarten sie in der Punycode-Schreibweise:{" "}
                <code className="break-all font-mono text-slate-900">{forms.ascii}</code>
              </p>
            )}
            <dl className="divide-y divide-slate-200 rounded-md border border-slate-200 bg-white text-sm" data-testid="dns-record">
              <RecordRow
                label="Name (Host)"
                value={domain}
                display={forms.unicode !== forms.ascii ? forms.unicode : undefined}
                copyLabel="Name"
                testId="record-host"
              />
              <RecordRow label="Typ" value="CNAME" copyLabel="Typ" testId="record-type" />
              <RecordRow label="Ziel (Wert)" value={target} copyLabel="Ziel" testId="record-target" />
            </dl>
            {host ? (
              <p className="text-xs text-slate-600">
                Viele Anbieter erwarten im Feld „Name“ nur den vorderen Teil, hier <strong>{host}</strong>. Vorhandene A- oder
                AAAA-Einträge für diesen Namen bitte entfernen. Änderungen können einige Minuten brauchen, bis sie sichtbar sind.
              </p>
            ) : (
              <Alert kind="warning">
                Für eine Hauptdomain wie {domain} erlauben die meisten DNS-Anbieter keinen CNAME-Eintrag. Nutzen Sie besser eine
                Subdomain, z. B. {KIND_EXAMPLES[kind].split(".")[0]}.{domain}.
              </Alert>
            )}
          </div>

          {check && <CnameDiagnosis check={check} />}
          {waiting && (
            <p className="text-xs text-slate-600" role="status" data-testid="auto-check">
              Wir prüfen alle {AUTO_CHECK_MS / 1000} Sekunden automatisch erneut, solange dieser Assistent geöffnet ist
              {autoCheck.isFetching ? " – prüfe …" : "."}
            </p>
          )}

          <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap">
            <Button
              variant={check?.ok ? "secondary" : "primary"}
              busy={checkMutation.isPending}
              onClick={() => checkMutation.mutate(domain)}
            >
              {check ? "Erneut prüfen" : "Jetzt prüfen"}
            </Button>
            {check?.ok && (
              <Button busy={saveMutation.isPending} onClick={() => saveMutation.mutate(domain)}>
                Speichern und anwenden
              </Button>
            )}
            <Button
              variant="ghost"
              onClick={() => {
                setDomain(null);
                setCheck(null);
              }}
            >
              Andere Domain eingeben
            </Button>
          </div>
        </div>
      )}

      {step === 3 && result && (
        <div className="space-y-3" data-testid="wizard-result">
          {result.applied ? (
            <Alert kind="success" title="Fertig!">
              <p>{result.message}.</p>
              <p className="mt-1">
                {KIND_TITLES[kind]} ist jetzt erreichbar unter{" "}
                <HostName host={result.domain} href={`https://${result.domain}`} prefix="https://" linkClassName="font-semibold underline" />
              </p>
            </Alert>
          ) : (
            <Alert kind="warning" title="Gespeichert, aber noch nicht angewendet">
              <p>{result.message}</p>
            </Alert>
          )}
          <div className="flex flex-col gap-2 sm:flex-row">
            {!result.applied && (
              <Button busy={applyMutation.isPending} onClick={() => applyMutation.mutate()}>
                Erneut anwenden
              </Button>
            )}
            <Button variant="secondary" onClick={onClose}>
              Schließen
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}

/** One line of the DNS record; `display` (the Unicode form) is shown above the copied `value` (Punycode). */
function RecordRow({ label, value, display, copyLabel, testId }: { label: string; value: string; display?: string; copyLabel: string; testId: string }) {
  return (
    <div className="flex flex-col gap-1 px-3 py-2 sm:flex-row sm:items-center sm:gap-2">
      <dt className="shrink-0 text-xs text-slate-500 sm:w-28 sm:text-sm">{label}</dt>
      <dd className="flex min-w-0 flex-1 items-center justify-between gap-2">
        {display ? (
          <span className="min-w-0">
            <span className="block break-all text-slate-900">{display}</span>
            <code className="block break-all font-mono text-xs text-slate-600" data-testid={testId}>
              {value}
            </code>
          </span>
        ) : (
          <code className="break-all font-mono text-slate-900" data-testid={testId}>
            {value}
          </code>
        )}
        <CopyButton value={value} label={copyLabel} />
      </dd>
    </div>
  );
}
