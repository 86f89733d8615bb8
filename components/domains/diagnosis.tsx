import { Alert } from "@/components/ui/card";
import type { CnameCheckView } from "./types";

const TITLES: Record<string, string> = {
  ok: "CNAME-Eintrag ist korrekt",
  nxdomain: "Kein DNS-Eintrag gefunden",
  no_record: "Kein CNAME-Eintrag gefunden",
  wrong_target: "Der CNAME-Eintrag zeigt auf ein falsches Ziel",
  a_record: "A-Eintrag statt CNAME-Eintrag",
  timeout: "Der DNS-Server antwortet nicht rechtzeitig",
  servfail: "DNS-Fehler (SERVFAIL)",
  error: "DNS-Abfrage fehlgeschlagen",
};

/** The result of a CNAME check in plain words, with found vs. expected. */
export function CnameDiagnosis({ check }: { check: CnameCheckView }) {
  const kind = check.ok ? "success" : check.status === "timeout" || check.status === "error" ? "info" : "warning";
  return (
    <div data-testid="cname-diagnosis" data-status={check.status}>
      <Alert kind={kind} title={TITLES[check.status] ?? "Ergebnis der Prüfung"}>
        <p>{check.message}</p>
        {(check.status === "wrong_target" || check.status === "a_record") && (
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 break-all">
            <dt className="font-medium">Gefunden:</dt>
            <dd data-testid="cname-found">{check.found.join(", ")}</dd>
            <dt className="font-medium">Erwartet:</dt>
            <dd data-testid="cname-expected">CNAME auf {check.expected}</dd>
          </dl>
        )}
        <p className="mt-2 text-xs opacity-80">Geprüft um {new Date(check.checked_at).toLocaleTimeString("de-DE", { timeZone: "Europe/Berlin" })} Uhr.</p>
      </Alert>
    </div>
  );
}
