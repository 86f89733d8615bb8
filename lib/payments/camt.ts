/**
 * CAMT.053 (ISO 20022 BankToCustomerStatement) parser, versions camt.053.001.02 … .08 —
 * what German banks export as "Kontoauszug im XML-Format". Only what the matching needs:
 *
 *   Stmt/Acct/Id/IBAN, Ntry/{Amt@Ccy, CdtDbtInd, Sts, BookgDt, ValDt, AcctSvcrRef, NtryRef},
 *   Ntry/NtryDtls/TxDtls/{Refs/EndToEndId, Refs/AcctSvcrRef, Amt, RltdPties/Dbtr, RmtInf/Ustrd}
 *
 * Version differences handled: `Sts` is a code (≤ .03) or `Sts/Cd` (≥ .04); the debtor name
 * is `Dbtr/Nm` (≤ .07) or `Dbtr/Pty/Nm` (.08). A batch entry (several TxDtls with own
 * amounts) becomes one entry per transaction. Pending entries (Sts ≠ BOOK) are skipped.
 * Amounts are parsed as decimal strings into integer cents (never via floats).
 */
import { XMLParser } from "fast-xml-parser";

export type CamtEntry = {
  accountIban: string | null;
  /** Positive = credit (money received), negative = debit. */
  amountCents: number;
  currency: string;
  bookingDate: string;
  valueDate: string | null;
  remittanceText: string | null;
  debtorName: string | null;
  debtorIban: string | null;
  /** Bank's unique reference (AcctSvcrRef; fallback NtryRef), null when the bank gives none. */
  entryReference: string | null;
  endToEndId: string | null;
};

export type CamtStatement = { messageId: string | null; entries: CamtEntry[] };

export class CamtError extends Error {}

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.0([2-8])$/;

type Node = Record<string, unknown>;

const asArray = <T>(value: T | T[] | undefined | null): T[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

function obj(value: unknown): Node | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Node) : undefined;
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "object") return text((value as Node)["#text"]);
  const s = String(value).trim();
  return s === "" ? null : s;
}

function path(node: unknown, ...keys: string[]): unknown {
  let current: unknown = node;
  for (const key of keys) {
    const o = obj(Array.isArray(current) ? current[0] : current);
    if (!o) return undefined;
    current = o[key];
  }
  return current;
}

/** "1234.5" → 123450; more than two decimals or garbage → CamtError. */
export function parseAmountCents(raw: string | null): number {
  const match = raw ? /^(\d+)(?:\.(\d{1,2}))?$/.exec(raw) : null;
  if (!match) throw new CamtError(`Ungültiger Betrag im Kontoauszug: „${raw ?? ""}“.`);
  const cents = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  if (!Number.isSafeInteger(cents)) throw new CamtError(`Betrag außerhalb des zulässigen Bereichs: „${raw}“.`);
  return cents;
}

function isoDate(node: unknown): string | null {
  const value = text(path(node, "Dt")) ?? text(path(node, "DtTm"));
  return value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
}

function partyName(party: unknown): string | null {
  return text(path(party, "Nm")) ?? text(path(party, "Pty", "Nm"));
}

function remittance(tx: unknown): string | null {
  const rmt = path(tx, "RmtInf");
  const unstructured = asArray(path(rmt, "Ustrd") as unknown).map(text).filter(Boolean) as string[];
  const structured = asArray(path(rmt, "Strd") as unknown)
    .map((s) => text(path(s, "CdtrRefInf", "Ref")))
    .filter(Boolean) as string[];
  const all = [...unstructured, ...structured];
  return all.length ? all.join(" ") : null;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
});

export function parseCamt053(xml: string | Buffer): CamtStatement {
  const source = typeof xml === "string" ? xml : xml.toString("utf8");
  let doc: Node;
  try {
    doc = parser.parse(source) as Node;
  } catch {
    throw new CamtError("Die Datei ist kein gültiges XML.");
  }
  const root = obj(doc.Document);
  // removeNSPrefix drops xmlns attributes, so the namespace is read from the root tag itself.
  const rootTag = /<(?:[\w-]+:)?Document\b[^>]*>/.exec(source)?.[0] ?? "";
  const namespaces = [...rootTag.matchAll(/\sxmlns(?::[\w-]+)?\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]!);
  if (!root || !namespaces.some((ns) => NAMESPACE.test(ns))) {
    throw new CamtError("Die Datei ist kein CAMT.053-Kontoauszug (unterstützt: camt.053.001.02 bis .08).");
  }
  const report = obj(root.BkToCstmrStmt);
  if (!report) throw new CamtError("Der Kontoauszug enthält kein BkToCstmrStmt-Element.");
  const messageId = text(path(report, "GrpHdr", "MsgId"));
  const entries: CamtEntry[] = [];

  for (const stmt of asArray(report.Stmt as Node | Node[])) {
    const accountIban = text(path(stmt, "Acct", "Id", "IBAN"));
    for (const ntry of asArray(stmt.Ntry as Node | Node[])) {
      const status = text(path(ntry, "Sts", "Cd")) ?? text(ntry.Sts);
      if (status && status !== "BOOK") continue;
      const sign = text(ntry.CdtDbtInd) === "DBIT" ? -1 : 1;
      const bookingDate = isoDate(ntry.BookgDt) ?? isoDate(ntry.ValDt);
      if (!bookingDate) throw new CamtError("Eine Buchung im Kontoauszug hat kein Buchungsdatum.");
      const valueDate = isoDate(ntry.ValDt);
      const entryRef = text(ntry.AcctSvcrRef) ?? text(ntry.NtryRef);
      const entryCurrency = text(path(ntry, "Amt", "@_Ccy")) ?? "EUR";
      const txs = asArray(path(ntry, "NtryDtls") as unknown).flatMap((d) => asArray(path(d, "TxDtls") as unknown));
      const split = txs.length > 1;

      const base = (tx: unknown, amountNode: unknown, index: number): CamtEntry => {
        const txSign = split && text(path(tx, "CdtDbtInd")) ? (text(path(tx, "CdtDbtInd")) === "DBIT" ? -1 : 1) : sign;
        const counterparty = txSign > 0 ? "Dbtr" : "Cdtr";
        const txRef = text(path(tx, "Refs", "AcctSvcrRef"));
        return {
          accountIban,
          amountCents: txSign * parseAmountCents(text(amountNode)),
          currency: text(path(amountNode, "@_Ccy")) ?? entryCurrency,
          bookingDate,
          valueDate,
          remittanceText: remittance(tx),
          debtorName: partyName(path(tx, "RltdPties", counterparty)),
          debtorIban: text(path(tx, "RltdPties", `${counterparty}Acct`, "Id", "IBAN")),
          entryReference: split ? (txRef ?? (entryRef ? `${entryRef}/${index + 1}` : null)) : (entryRef ?? txRef),
          endToEndId: (() => {
            const id = text(path(tx, "Refs", "EndToEndId"));
            return id && id !== "NOTPROVIDED" ? id : null;
          })(),
        };
      };

      if (split) {
        txs.forEach((tx, index) => {
          const amountNode = path(tx, "Amt") ?? path(tx, "AmtDtls", "TxAmt", "Amt");
          if (amountNode === undefined) throw new CamtError("Eine Sammelbuchung enthält Umsätze ohne Einzelbetrag.");
          entries.push(base(tx, amountNode, index));
        });
      } else {
        entries.push(base(txs[0], ntry.Amt, 0));
      }
    }
  }
  return { messageId, entries };
}
