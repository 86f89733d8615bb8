/**
 * pain.008.001.08 (ISO 20022 CustomerDirectDebitInitiation, the version of the DK's
 * "Anlage 3 der Schnittstellenspezifikation für die Datenfernübertragung", DFÜ-Abkommen, in force
 * since November 2023). One file per collection date; one payment information block (PmtInf)
 * per scheme (CORE/B2B) and sequence type (FRST/RCUR/OOFF). Pure: built from plain data,
 * element order as in the schema. Texts are reduced to the SEPA character set (umlauts
 * transliterated) and cut to the schema's lengths. Validation: see lib/payments/README.md.
 */
import { centsToNumber } from "@/lib/money";

export const PAIN_008_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.008.001.08";

export type SequenceType = "FRST" | "RCUR" | "OOFF";

export type Pain008Transaction = {
  endToEndId: string;
  amountCents: number;
  mandateReference: string;
  /** YYYY-MM-DD */
  mandateSignedOn: string;
  debtorName: string;
  debtorIban: string;
  debtorBic: string | null;
  remittance: string;
  scheme: "CORE" | "B2B";
  sequenceType: SequenceType;
};

export type Pain008Input = {
  messageId: string;
  /** ISO date-time without fraction, e.g. 2026-11-05T10:15:00 */
  createdAt: string;
  /** YYYY-MM-DD */
  collectionDate: string;
  creditor: { name: string; iban: string; bic: string; creditorId: string };
  transactions: Pain008Transaction[];
};

const TRANSLIT: Record<string, string> = { ä: "ae", ö: "oe", ü: "ue", Ä: "Ae", Ö: "Oe", Ü: "Ue", ß: "ss", "&": "+", "–": "-", "—": "-", "„": "", "“": "", "”": "" };

/** The SEPA "Latin character set": a-z A-Z 0-9 / - ? : ( ) . , ' + and space. */
export function sepaText(value: string, max: number): string {
  const plain = [...value]
    .map((ch) => TRANSLIT[ch] ?? ch)
    .join("")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9/\-?:().,'+ ]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return plain.slice(0, max).trim();
}

/** Identifiers (MsgId, PmtInfId, EndToEndId, MndtId): no spaces, max. 35. */
export function sepaId(value: string): string {
  return sepaText(value, 35).replace(/ /g, "");
}

function amount(cents: number): string {
  return centsToNumber(cents).toFixed(2);
}

function esc(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

function agent(bic: string | null, indent: string): string {
  return bic
    ? `${indent}<FinInstnId>\n${indent}  <BICFI>${esc(bic)}</BICFI>\n${indent}</FinInstnId>`
    : `${indent}<FinInstnId>\n${indent}  <Othr>\n${indent}    <Id>NOTPROVIDED</Id>\n${indent}  </Othr>\n${indent}</FinInstnId>`;
}

const sum = (txs: Pain008Transaction[]) => txs.reduce((s, t) => s + t.amountCents, 0);

/** Groups in a fixed order: CORE before B2B; FRST, RCUR, OOFF. */
export function paymentGroups(transactions: Pain008Transaction[]) {
  const groups: { scheme: "CORE" | "B2B"; sequenceType: SequenceType; transactions: Pain008Transaction[] }[] = [];
  for (const scheme of ["CORE", "B2B"] as const) {
    for (const sequenceType of ["FRST", "RCUR", "OOFF"] as const) {
      const txs = transactions.filter((t) => t.scheme === scheme && t.sequenceType === sequenceType);
      if (txs.length) groups.push({ scheme, sequenceType, transactions: txs });
    }
  }
  return groups;
}

export function buildPain008(input: Pain008Input): string {
  if (input.transactions.length === 0) throw new Error("pain.008 without transactions");
  const creditorName = esc(sepaText(input.creditor.name, 70));
  const groups = paymentGroups(input.transactions);
  const pmtInf = groups.map((g, index) => {
    const txs = g.transactions
      .map(
        (t) => `      <DrctDbtTxInf>
        <PmtId>
          <EndToEndId>${esc(sepaId(t.endToEndId))}</EndToEndId>
        </PmtId>
        <InstdAmt Ccy="EUR">${amount(t.amountCents)}</InstdAmt>
        <DrctDbtTx>
          <MndtRltdInf>
            <MndtId>${esc(sepaId(t.mandateReference))}</MndtId>
            <DtOfSgntr>${t.mandateSignedOn}</DtOfSgntr>
          </MndtRltdInf>
        </DrctDbtTx>
        <DbtrAgt>
${agent(t.debtorBic, "          ")}
        </DbtrAgt>
        <Dbtr>
          <Nm>${esc(sepaText(t.debtorName, 70))}</Nm>
        </Dbtr>
        <DbtrAcct>
          <Id>
            <IBAN>${esc(t.debtorIban)}</IBAN>
          </Id>
        </DbtrAcct>
        <RmtInf>
          <Ustrd>${esc(sepaText(t.remittance, 140))}</Ustrd>
        </RmtInf>
      </DrctDbtTxInf>`,
      )
      .join("\n");
    return `    <PmtInf>
      <PmtInfId>${esc(sepaId(`${input.messageId}-${index + 1}`))}</PmtInfId>
      <PmtMtd>DD</PmtMtd>
      <BtchBookg>true</BtchBookg>
      <NbOfTxs>${g.transactions.length}</NbOfTxs>
      <CtrlSum>${amount(sum(g.transactions))}</CtrlSum>
      <PmtTpInf>
        <SvcLvl>
          <Cd>SEPA</Cd>
        </SvcLvl>
        <LclInstrm>
          <Cd>${g.scheme}</Cd>
        </LclInstrm>
        <SeqTp>${g.sequenceType}</SeqTp>
      </PmtTpInf>
      <ReqdColltnDt>${input.collectionDate}</ReqdColltnDt>
      <Cdtr>
        <Nm>${creditorName}</Nm>
      </Cdtr>
      <CdtrAcct>
        <Id>
          <IBAN>${esc(input.creditor.iban.replace(/\s+/g, ""))}</IBAN>
        </Id>
      </CdtrAcct>
      <CdtrAgt>
${agent(input.creditor.bic.replace(/\s+/g, "") || null, "        ")}
      </CdtrAgt>
      <ChrgBr>SLEV</ChrgBr>
      <CdtrSchmeId>
        <Id>
          <PrvtId>
            <Othr>
              <Id>${esc(input.creditor.creditorId)}</Id>
              <SchmeNm>
                <Prtry>SEPA</Prtry>
              </SchmeNm>
            </Othr>
          </PrvtId>
        </Id>
      </CdtrSchmeId>
${txs}
    </PmtInf>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="${PAIN_008_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <CstmrDrctDbtInitn>
    <GrpHdr>
      <MsgId>${esc(sepaId(input.messageId))}</MsgId>
      <CreDtTm>${input.createdAt}</CreDtTm>
      <NbOfTxs>${input.transactions.length}</NbOfTxs>
      <CtrlSum>${amount(sum(input.transactions))}</CtrlSum>
      <InitgPty>
        <Nm>${creditorName}</Nm>
      </InitgPty>
    </GrpHdr>
${pmtInf.join("\n")}
  </CstmrDrctDbtInitn>
</Document>
`;
}
