import type { Metadata } from "next";
import { ApiReference } from "@/components/api-reference/api-reference";
import { buildReference, type OpenApiDoc } from "@/components/api-reference/model";
import { Card } from "@/components/ui/card";
import { requireMe } from "@/lib/doors/pages/guards";
import { config } from "@/lib/config";
import { openApiDocument } from "@/lib/doors/v1/openapi";

export const metadata: Metadata = { title: "API-Referenz" };

/** Readable German API reference, rendered from the same generated OpenAPI document as /api/v1/openapi.json. */
export default async function ApiReferencePage() {
  const me = await requireMe();
  const doc = openApiDocument() as unknown as OpenApiDoc;
  // The staff API (/api/manage/admin) only concerns MSP staff.
  const groups = buildReference(doc, config().APP_URL, (tag) => me.user.staff || !tag.startsWith("Verwaltung:"));

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">API-Referenz</h1>
      <Card>
        <div className="space-y-3 text-sm text-slate-700">
          <p>
            Über die Programmierschnittstelle erreichen Sie Ihre Server, Rechnungen und das Aktivitätsprotokoll auch aus eigenen Programmen und Skripten.
            Jede Anfrage weist sich mit einem Zugangsschlüssel aus; was sie darf, richtet sich nach den Rechten Ihres Benutzers.
          </p>
          <p>
            Es gibt zwei Schnittstellen: <strong>API v1</strong> unter <code>/api/v1</code> für Skripte und angebundene Programme, mit eigenen
            API-Schlüsseln und Zwei-Faktor-Anmeldung, und die <strong>Manage-API</strong> unter <code>/api/manage</code>, die auch dieses Portal
            selbst verwendet.
          </p>
          {me.user.staff && (
            <p>
              Als MSP-Mitarbeiter sehen Sie zusätzlich die Verwaltung unter <code>/api/manage/admin</code> (Gruppen „Verwaltung: …“). Jede dieser
              Schnittstellen nennt die Berechtigung, die sie verlangt; in der „Ansicht als Kunde“ sind nur lesende Aufrufe erlaubt.
            </p>
          )}
          <p>
            Die vollständige, maschinenlesbare Beschreibung (OpenAPI 3.1) liegt unter{" "}
            <a href="/api/v1/openapi.json" className="text-brand-700 underline">
              /api/v1/openapi.json
            </a>
            ; daraus lassen sich Programmbibliotheken für viele Sprachen erzeugen. Unten finden Sie ein Inhaltsverzeichnis, eine Suche und zu jeder
            Schnittstelle ein Beispiel für das Kommandozeilenprogramm <code>curl</code>.
          </p>
          <h2 className="pt-2 font-semibold text-slate-900">So fangen Sie an</h2>
          <ol className="list-decimal space-y-1 pl-5">
            <li>
              Anmelden mit <code>POST /api/v1/auth/login</code> (E-Mail und Passwort). Die Antwort enthält einen Zugangsschlüssel (<code>access_token</code>)
              und einen Erneuerungsschlüssel (<code>refresh_token</code>). Ist die Zwei-Faktor-Anmeldung aktiv, senden Sie zuerst den Code aus der E-Mail
              oder der Authenticator-App an <code>/api/v1/auth/2fa/verify</code>.
            </li>
            <li>
              Jede weitere Anfrage trägt den Zugangsschlüssel im Kopf: <code>Authorization: Bearer $TOKEN</code>. In den Beispielen unten steht{" "}
              <code>$TOKEN</code> für Ihren Schlüssel. Ist er abgelaufen, holen Sie mit <code>POST /api/v1/auth/refresh</code> ein neues Paar – jeder
              Erneuerungsschlüssel gilt nur ein einziges Mal.
            </li>
            <li>
              Für dauerhafte Skripte legen Sie unter{" "}
              <a href="/konto#api-schluessel" className="text-brand-700 underline">
                Konto → API-Schlüssel
              </a>{" "}
              einen eigenen Schlüssel an, wahlweise nur zum Lesen oder zum Lesen und Ändern.
            </li>
            <li>
              Anfragen sind begrenzt: Anmeldung und Zwei-Faktor-Code 10 pro Minute und IP-Adresse, alles andere 600 pro Minute und Benutzer. Wer darüber liegt,
              erhält 429 und im Kopf <code>Retry-After</code> die Wartezeit in Sekunden. Die Ablaufzeit der Schlüssel wird mit 30 Sekunden Spielraum geprüft;
              halten Sie die Uhr Ihres Rechners aktuell.
            </li>
            <li>
              MSP-Mitarbeiter wählen den Kunden mit <code>?tenant_id=…</code>; ohne Angabe gilt der eigene Kunde (für MSP-Mitarbeiter: alle).
            </li>
            <li>
              Fehler kommen als JSON mit einer deutschen Meldung: in API v1 unter <code>detail.message</code>, in der Manage-API unter{" "}
              <code>message</code> (bei ungültigen Eingaben zusätzlich <code>errors</code> je Feld). Zeitpunkte haben die Form{" "}
              <code>2026-03-04T10:00:00+00:00</code>, Kalendertage <code>2026-03-04</code>.
            </li>
          </ol>
        </div>
      </Card>
      <ApiReference groups={groups} />
    </div>
  );
}
