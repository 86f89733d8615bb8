/** A minimal CAMT.053 (v02) statement with one credit per payment, as a bank would export it. */
export function camtStatement(id: string, bookingDate: string, payments: { amountCents: number; text: string; debtor: string }[]) {
  const entries = payments
    .map(
      (p, i) => `      <Ntry>
        <Amt Ccy="EUR">${(p.amountCents / 100).toFixed(2)}</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>${bookingDate}</Dt></BookgDt>
        <ValDt><Dt>${bookingDate}</Dt></ValDt>
        <AcctSvcrRef>${id}-${i + 1}</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <RltdPties><Dbtr><Nm>${p.debtor}</Nm></Dbtr></RltdPties>
          <RmtInf><Ustrd>${p.text}</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>`,
    )
    .join("\n");
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>${id}</MsgId><CreDtTm>${bookingDate}T06:00:00+01:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>${id}</Id>
      <CreDtTm>${bookingDate}T06:00:00+01:00</CreDtTm>
      <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
${entries}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`);
}
