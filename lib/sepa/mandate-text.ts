/**
 * The German wording of a SEPA mandate (Deutsche Kreditwirtschaft's standard texts for the
 * SEPA-Basislastschrift, CORE, and the SEPA-Firmenlastschrift, B2B), filled with the creditor
 * (name, address, Gläubiger-ID), the mandate reference and the debtor's account. The text is
 * stored with the mandate and printed on its PDF exactly as granted.
 */
import { formatDateDe } from "@/lib/time";
import { groupIban } from "./identifiers";

export type MandateTextInput = {
  creditorName: string;
  creditorAddress: string[];
  creditorId: string;
  reference: string;
  scheme: "CORE" | "B2B";
  mandateType: "recurrent" | "one_off";
  accountHolder: string;
  iban: string;
  bic: string | null;
  signedOn: string;
  signedByName: string;
  companyName: string;
};

export const MANDATE_TITLES = { CORE: "SEPA-Lastschriftmandat (SEPA-Basislastschrift)", B2B: "SEPA-Firmenlastschrift-Mandat" } as const;

/** A unique-enough reference (max. 35 characters of the SEPA set): MP + instance + random part. */
export function newMandateReference(instanceId: number, random: string): string {
  return `MP${String(instanceId).padStart(6, "0")}-${random.toUpperCase().replace(/[^A-Z0-9]/g, "").slice(0, 10)}`;
}

export function mandateText(m: MandateTextInput): string {
  const c = m.creditorName;
  const body =
    m.scheme === "B2B"
      ? [
          `Wir ermächtigen ${c}, Zahlungen von unserem Konto mittels Lastschrift einzuziehen. Zugleich weisen wir unser Kreditinstitut an, die von ${c} auf unser Konto gezogenen Lastschriften einzulösen.`,
          "Hinweis: Dieses Lastschriftmandat dient nur dem Einzug von Lastschriften, die auf Konten von Unternehmen gezogen sind. Wir sind nicht berechtigt, nach der erfolgten Einlösung eine Erstattung des belasteten Betrages zu verlangen. Wir sind berechtigt, unser Kreditinstitut bis zum Fälligkeitstag anzuweisen, Lastschriften nicht einzulösen.",
          "Bitte geben Sie dieses Mandat (Mandatsreferenz und Gläubiger-ID) vor der ersten Lastschrift auch Ihrem Kreditinstitut bekannt; ohne diese Bestätigung löst es Firmenlastschriften nicht ein.",
        ]
      : [
          `Ich ermächtige / Wir ermächtigen ${c}, Zahlungen von meinem / unserem Konto mittels Lastschrift einzuziehen. Zugleich weise ich mein / weisen wir unser Kreditinstitut an, die von ${c} auf mein / unser Konto gezogenen Lastschriften einzulösen.`,
          "Hinweis: Ich kann / Wir können innerhalb von acht Wochen, beginnend mit dem Belastungsdatum, die Erstattung des belasteten Betrages verlangen. Es gelten dabei die mit meinem / unserem Kreditinstitut vereinbarten Bedingungen.",
        ];
  return [
    MANDATE_TITLES[m.scheme],
    "",
    `Zahlungsempfänger (Gläubiger): ${c}, ${m.creditorAddress.join(", ")}`,
    `Gläubiger-Identifikationsnummer: ${m.creditorId}`,
    `Mandatsreferenz: ${m.reference}`,
    `Zahlungsart: ${m.mandateType === "one_off" ? "Einmalige Zahlung" : "Wiederkehrende Zahlungen"}`,
    "",
    ...body.flatMap((p) => [p, ""]),
    `Zahlungspflichtiger (Kontoinhaber): ${m.accountHolder}`,
    `Kunde: ${m.companyName}`,
    `IBAN: ${groupIban(m.iban)}`,
    `BIC: ${m.bic ?? "– (deutsche IBAN, nicht erforderlich)"}`,
    "",
    `Datum: ${formatDateDe(m.signedOn)}`,
    `Elektronisch erteilt im Manage-Portal von ${m.signedByName}.`,
  ].join("\n");
}
