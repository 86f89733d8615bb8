/**
 * CAMT parser for what banks really export: camt.053 (Kontoauszug, BkToCstmrStmt/Stmt) and
 * camt.052 (Umsatzreport, BkToCstmrAcctRpt/Rpt — what many German online banks offer), message
 * versions .02 … .13. camt.054 (single notifications) and other messages are refused with a
 * German message that says what to export instead.
 *
 * Read per entry: Acct/Id/IBAN, Ntry/{Amt@Ccy, CdtDbtInd, RvslInd, Sts, BookgDt, ValDt,
 * AcctSvcrRef, NtryRef, BkTxCd, AddtlNtryInf}, NtryDtls/TxDtls/{Refs/*, Amt, AmtDtls, RltdPties,
 * RmtInf, RtrInf, BkTxCd, AddtlTxInf}.
 *
 * Version differences handled: `Sts` is a code (≤ .03) or `Sts/Cd` (≥ .04); party names are
 * `Nm` (≤ .07) or `Pty/Nm` (≥ .08). A batch entry (several TxDtls with own amounts) becomes one
 * entry per transaction. Pending entries (Sts ≠ BOOK) are skipped.
 *
 * Amounts: the standard allows up to five fraction digits ("8.850"); they are parsed as decimal
 * strings into integer cents (never via floats); digits beyond the cent must be zero.
 *
 * References are read from every place the standard puts them (RmtInf/Ustrd, Strd/CdtrRefInf/Ref,
 * Strd/RfrdDocInf/Nb, Strd/AddtlRmtInf) into `remittanceText`; the matching searches it and
 * `endToEndId` (see `matchingText`). Bank placeholders (`NONREF`, `NOTPROVIDED`) are no reference: German FinTS exports
 * put `NONREF` in AcctSvcrRef of every entry. `identity` lists everything that tells two entries
 * apart; the import builds its duplicate key from it (see identity.ts).
 *
 * Returns and reversals: `RtrInf` (reason code), `RvslInd=true`, or a bank transaction code whose
 * sub-family says "return"/"unpaid" (RRTN, UPDD, RPCR, ARET) or a German GVC for a returned
 * direct debit / transfer (DK 108, 109, 159, 160) mark an entry as a return.
 */
import { XMLParser } from "fast-xml-parser";

export type CamtReturn = {
  /** ISO reason code (MS03, MD06, AC01 …) or the bank's proprietary reason, null when none given. */
  reasonCode: string | null;
  reversal: boolean;
  /** What was originally instructed (for a returned debit: without the bank's fee). */
  originalAmountCents: number | null;
};

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
  /** Bank's reference (AcctSvcrRef; fallback NtryRef); null when missing or a placeholder such as NONREF. */
  entryReference: string | null;
  /** The reference as the bank wrote it, placeholders included (only to recognise older imports). */
  rawReference: string | null;
  endToEndId: string | null;
  mandateId: string | null;
  /** "Domn/Fmly/SubFmly" or "Prtry:Cd", null when none. */
  bankTransactionCode: string | null;
  /** Set for returns and reversals. */
  returned: CamtReturn | null;
  /** Everything that distinguishes this entry from another one on the same day (see identity.ts). */
  identity: string[];
};

export type CamtStatement = { messageId: string | null; kind: "camt.052" | "camt.053"; version: number; entries: CamtEntry[] };

export class CamtError extends Error {}

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:camt\.(\d{3})\.001\.(\d{2})$/;
const MIN_VERSION = 2;
const MAX_VERSION = 13;
const WHAT_TO_EXPORT = "Bitte exportieren Sie im Online-Banking den Kontoauszug als camt.053 (oder den Umsatzreport als camt.052), Version .02 bis .13.";
const PLACEHOLDERS = new Set(["NONREF", "NOTPROVIDED", "NOTAVAILABLE", "NONE", "N/A"]);
const RETURN_SUBFAMILIES = new Set(["RRTN", "UPDD", "RPCR", "ARET", "PRDD", "PRCT"]);
// German "Geschäftsvorfallcodes": 108/109 returned direct debit (Rücklastschrift), 159/160 returned transfer.
const RETURN_GVC = /^(?:NTRF|NDDT|NRTI|NRDD|NMSC)?\+?(108|109|159|160)\b|^(108|109|159|160)$/;

type Node = Record<string, unknown>;

const asArray = <T>(value: T | T[] | undefined | null): T[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

function obj(value: unknown): Node | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Node) : undefined;
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return text(value[0]);
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

/** Every value under `key` anywhere below node (depth-first, document order). */
function all(node: unknown, ...keys: string[]): unknown[] {
  const [head, ...rest] = keys;
  if (head === undefined) return asArray(node);
  return asArray(node).flatMap((n) => {
    const o = obj(n);
    return o ? all(o[head], ...rest) : [];
  });
}

function reference(value: unknown): string | null {
  const t = text(value);
  return t && !PLACEHOLDERS.has(t.toUpperCase()) ? t : null;
}

/** "1234.5" → 123450, "8.850" → 885; a fraction of a cent or garbage → CamtError. */
export function parseAmountCents(raw: string | null): number {
  const match = raw ? /^(\d+)(?:\.(\d{1,5}))?$/.exec(raw) : null;
  if (!match) throw new CamtError(`Ungültiger Betrag im Kontoauszug: „${raw ?? ""}“.`);
  const fraction = (match[2] ?? "").padEnd(2, "0");
  if (/[1-9]/.test(fraction.slice(2))) throw new CamtError(`Betrag mit Bruchteilen eines Cents im Kontoauszug: „${raw}“.`);
  const cents = Number(match[1]) * 100 + Number(fraction.slice(0, 2));
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

function remittanceParts(tx: unknown): string[] {
  const rmt = path(tx, "RmtInf");
  const strd = all(rmt, "Strd");
  return [
    ...all(rmt, "Ustrd").map(text),
    ...strd.map((s) => text(path(s, "CdtrRefInf", "Ref"))),
    ...strd.flatMap((s) => all(s, "RfrdDocInf").map((d) => text(path(d, "Nb")))),
    ...strd.flatMap((s) => all(s, "AddtlRmtInf").map(text)),
  ].filter((v): v is string => Boolean(v));
}

function bankTransactionCode(node: unknown): string | null {
  const bk = path(node, "BkTxCd");
  const domain = text(path(bk, "Domn", "Cd"));
  const family = text(path(bk, "Domn", "Fmly", "Cd"));
  const sub = text(path(bk, "Domn", "Fmly", "SubFmlyCd"));
  if (domain || family || sub) return [domain, family, sub].map((v) => v ?? "").join("/");
  const prtry = text(path(bk, "Prtry", "Cd"));
  return prtry ? `Prtry:${prtry}` : null;
}

function isReturnCode(code: string | null): boolean {
  if (!code) return false;
  if (code.startsWith("Prtry:")) return RETURN_GVC.test(code.slice(6));
  return RETURN_SUBFAMILIES.has(code.split("/")[2] ?? "");
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

function messageKind(source: string): { kind: "camt.052" | "camt.053"; version: number } {
  // removeNSPrefix drops xmlns attributes, so the namespace is read from the root tag itself.
  const rootTag = /<(?:[\w-]+:)?Document\b[^>]*>/.exec(source)?.[0] ?? "";
  const namespaces = [...rootTag.matchAll(/\sxmlns(?::[\w-]+)?\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]!);
  const found = namespaces.map((ns) => NAMESPACE.exec(ns)).find(Boolean);
  if (!found) throw new CamtError(`Die Datei ist kein CAMT-Kontoauszug. ${WHAT_TO_EXPORT}`);
  const message = found[1]!;
  const version = Number(found[2]);
  if (message === "054") {
    throw new CamtError(`Die Datei ist eine Einzelumsatz-Benachrichtigung (camt.054) und kein Kontoauszug. ${WHAT_TO_EXPORT}`);
  }
  if (message !== "052" && message !== "053") throw new CamtError(`Die Datei ist eine camt.${message}-Nachricht und kein Kontoauszug. ${WHAT_TO_EXPORT}`);
  if (version < MIN_VERSION || version > MAX_VERSION) {
    throw new CamtError(`Die Version camt.${message}.001.${found[2]} wird nicht unterstützt. ${WHAT_TO_EXPORT}`);
  }
  return { kind: message === "052" ? "camt.052" : "camt.053", version };
}

export function parseCamt(xml: string | Buffer): CamtStatement {
  const source = typeof xml === "string" ? xml : xml.toString("utf8");
  let doc: Node;
  try {
    doc = parser.parse(source) as Node;
  } catch {
    throw new CamtError("Die Datei ist kein gültiges XML.");
  }
  const root = obj(doc.Document);
  if (!root) throw new CamtError(`Die Datei ist kein CAMT-Kontoauszug. ${WHAT_TO_EXPORT}`);
  const { kind, version } = messageKind(source);
  const report = obj(kind === "camt.053" ? root.BkToCstmrStmt : root.BkToCstmrAcctRpt);
  if (!report) throw new CamtError(`Der Kontoauszug enthält kein ${kind === "camt.053" ? "BkToCstmrStmt" : "BkToCstmrAcctRpt"}-Element.`);
  const messageId = text(path(report, "GrpHdr", "MsgId"));
  const entries: CamtEntry[] = [];

  for (const stmt of asArray((kind === "camt.053" ? report.Stmt : report.Rpt) as Node | Node[])) {
    const accountIban = text(path(stmt, "Acct", "Id", "IBAN")) ?? text(path(stmt, "Acct", "Id", "Othr", "Id"));
    for (const ntry of asArray(stmt.Ntry as Node | Node[])) {
      const status = text(path(ntry, "Sts", "Cd")) ?? text(ntry.Sts);
      if (status && status !== "BOOK") continue;
      const sign = text(ntry.CdtDbtInd) === "DBIT" ? -1 : 1;
      const bookingDate = isoDate(ntry.BookgDt) ?? isoDate(ntry.ValDt);
      if (!bookingDate) throw new CamtError("Eine Buchung im Kontoauszug hat kein Buchungsdatum.");
      const valueDate = isoDate(ntry.ValDt);
      const rawEntryRef = text(ntry.AcctSvcrRef) ?? text(ntry.NtryRef);
      const entryRef = reference(ntry.AcctSvcrRef) ?? reference(ntry.NtryRef);
      const entryCurrency = text(path(ntry, "Amt", "@_Ccy")) ?? "EUR";
      const entryReversal = text(ntry.RvslInd)?.toLowerCase() === "true";
      const entryCode = bankTransactionCode(ntry);
      const entryInfo = text(ntry.AddtlNtryInf);
      const txs = all(ntry, "NtryDtls", "TxDtls");
      const split = txs.length > 1;

      const build = (tx: unknown, amountNode: unknown, index: number): CamtEntry => {
        const txSign = split && text(path(tx, "CdtDbtInd")) ? (text(path(tx, "CdtDbtInd")) === "DBIT" ? -1 : 1) : sign;
        // The other party: who paid us on a credit, whom we paid on a debit — except that on a
        // return the roles are those of the original payment, so the debtor is still the customer.
        const refs = path(tx, "Refs");
        const rtrInf = path(tx, "RtrInf");
        const code = bankTransactionCode(tx) ?? entryCode;
        const isReturn = rtrInf !== undefined || entryReversal || isReturnCode(code) || isReturnCode(entryCode);
        const counterparty = (txSign > 0) !== isReturn ? "Dbtr" : "Cdtr";
        const txRef = reference(path(refs, "AcctSvcrRef"));
        const endToEndId = reference(path(refs, "EndToEndId"));
        const mandateId = reference(path(refs, "MndtId"));
        const parts = remittanceParts(tx);
        const instructed = path(tx, "AmtDtls", "InstdAmt", "Amt") ?? path(tx, "AmtDtls", "TxAmt", "Amt");
        const reason = text(path(rtrInf, "Rsn", "Cd")) ?? text(path(rtrInf, "Rsn", "Prtry"));
        const amountCents = txSign * parseAmountCents(text(amountNode));
        const counterpartyIban = text(path(tx, "RltdPties", `${counterparty}Acct`, "Id", "IBAN"));
        const identity = [
          `entry:${entryRef ?? ""}`,
          `tx:${txRef ?? ""}`,
          `ntryref:${reference(ntry.NtryRef) ?? ""}`,
          ...["EndToEndId", "TxId", "InstrId", "MsgId", "PmtInfId", "MndtId", "ChqNb", "ClrSysRef", "UETR"].map((k) => `${k}:${reference(path(refs, k)) ?? ""}`),
          ...all(refs, "Prtry").map((p) => `prtry:${text(path(p, "Tp")) ?? ""}=${text(path(p, "Ref")) ?? ""}`),
          `code:${code ?? ""}`,
          `return:${isReturn ? `${reason ?? ""}/${entryReversal}` : ""}`,
          `party:${counterpartyIban ?? ""}|${partyName(path(tx, "RltdPties", counterparty)) ?? ""}`,
          `rmt:${parts.join("|")}`,
          `info:${text(path(tx, "AddtlTxInf")) ?? entryInfo ?? ""}`,
          `batch:${split ? index + 1 : 0}`,
        ];
        return {
          accountIban,
          amountCents,
          currency: text(path(amountNode, "@_Ccy")) ?? entryCurrency,
          bookingDate,
          valueDate,
          remittanceText: parts.length ? parts.join(" ") : null,
          debtorName: partyName(path(tx, "RltdPties", counterparty)),
          debtorIban: counterpartyIban,
          entryReference: split ? (txRef ?? (entryRef ? `${entryRef}/${index + 1}` : null)) : (entryRef ?? txRef),
          rawReference: split ? (text(path(refs, "AcctSvcrRef")) ?? (rawEntryRef ? `${rawEntryRef}/${index + 1}` : null)) : (rawEntryRef ?? text(path(refs, "AcctSvcrRef"))),
          endToEndId,
          mandateId,
          bankTransactionCode: code,
          returned: isReturn
            ? { reasonCode: reason, reversal: entryReversal, originalAmountCents: instructed !== undefined ? parseAmountCents(text(instructed)) : null }
            : null,
          identity,
        };
      };

      if (split) {
        txs.forEach((tx, index) => {
          const amountNode = path(tx, "Amt") ?? path(tx, "AmtDtls", "TxAmt", "Amt");
          if (amountNode === undefined) throw new CamtError("Eine Sammelbuchung enthält Umsätze ohne Einzelbetrag.");
          entries.push(build(tx, amountNode, index));
        });
      } else {
        entries.push(build(txs[0], ntry.Amt, 0));
      }
    }
  }
  return { messageId, kind, version, entries };
}

/** Where the matching looks for invoice numbers: remittance data and the end-to-end reference. */
export function matchingText(entry: { remittanceText: string | null; endToEndId: string | null }): string | null {
  const parts = [entry.remittanceText, entry.endToEndId].filter(Boolean);
  return parts.length ? parts.join(" ") : null;
}
