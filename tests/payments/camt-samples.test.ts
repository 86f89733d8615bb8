/**
 * Every bank file in ../shared/camt-samples/ (parser fixtures and bank test-bench exports from four
 * sources; used from there because some licences forbid copying them into the project). For each
 * file: it is read (or refused with a German message saying what to export), every entry gets a
 * distinct duplicate key, and reading it again yields the same keys. Then the bank-specific
 * traps, each named by the file that shows it.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CamtError, parseCamt } from "@/lib/payments/camt";
import { dedupKeys } from "@/lib/payments/identity";

const repoRoot = path.resolve(__dirname, "../..");
const samples = path.resolve(repoRoot, "../shared/camt-samples");
const files = [
  ...readdirSync(samples).filter((f) => f.endsWith(".xml")),
  ...readdirSync(path.join(samples, "derived")).map((f) => `derived/${f}`),
].sort();
const read = (file: string) => parseCamt(readFileSync(path.join(samples, file)));

// Entries per file as counted by hand in the XML (booked entries; batch entries with TxDtls amounts split).
const EXPECTED: Record<string, number | "refused"> = {
  "genkgo__camt052.v2.xml": 1,
  "genkgo__camt053.v2.five.decimals.xml": 1,
  "genkgo__camt053.v2.minimal.xml": 1,
  "genkgo__camt053.v2.multi.statement.xml": 2,
  "genkgo__camt053.v2.with-party-ids.xml": 1,
  "genkgo__camt053.v3.xml": 1,
  "genkgo__camt053.v4.xml": 1,
  "genkgo__camt053.v8.xml": 1,
  "genkgo__camt054.v2.xml": "refused",
  "genkgo__camt53.only-Dt-with-DtTm.xml": 0,
  "hbci4java__test-camt-parse-05200108.xml": 1,
  "hbci4java__test-camt-ruecklastschrift.xml": 1,
  "libeufin__gls_camt052.xml": 4,
  "libeufin__gls_camt053.xml": 4,
  "libeufin__postfinance_camt053.xml": 2,
  "libeufin__postfinance_testbench_camt053_v2009.xml": 5,
  "libeufin__postfinance_testbench_camt053_v2019.xml": 5,
  "viafintech__053_valid_example.xml": 5,
  "viafintech__053_valid_example_v4.xml": 32,
  "viafintech__053_valid_example_v8.xml": 3,
  "viafintech__053_valid_example_with_batch.xml": 3,
  "viafintech__053_valid_example_with_datetime.xml": 1,
  "viafintech__053_valid_example_with_debit.xml": 5,
  "viafintech__053_valid_example_with_instdamt.xml": 1,
  "derived/genkgo__camt052.v2__as053.xml": 1,
  "derived/hbci4java__test-camt-parse-05200108__as053.xml": 1,
  "derived/hbci4java__test-camt-ruecklastschrift__as053.xml": 1,
  "derived/libeufin__gls_camt052__as053.xml": 4,
};

describe("every sample bank file", () => {
  it("the expectation table covers exactly the files in the folder", () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const file of files) {
    it(file, () => {
      const expected = EXPECTED[file];
      if (expected === "refused") {
        expect(() => read(file)).toThrow(CamtError);
        expect(() => read(file)).toThrow(/Bitte exportieren Sie .* camt\.053/);
        return;
      }
      const { entries } = read(file);
      expect(entries).toHaveLength(expected!);
      for (const e of entries) {
        expect(Number.isSafeInteger(e.amountCents) && e.amountCents !== 0).toBe(true);
        expect(e.bookingDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(e.entryReference).not.toBe("NONREF");
      }
      const keys = dedupKeys(entries);
      expect(new Set(keys).size).toBe(entries.length); // nothing distinct is dropped
      expect(dedupKeys(read(file).entries)).toEqual(keys); // a re-import books nothing twice
    });
  }
});

describe("what the banks write", () => {
  it("three decimals (genkgo five.decimals: 8.850) are cents, not a refusal", () => {
    expect(read("genkgo__camt053.v2.five.decimals.xml").entries.map((e) => e.amountCents)).toEqual([885]);
  });

  it("camt.052 is read like camt.053 (the same bank content gives the same entries)", () => {
    for (const [report, statement] of [
      ["libeufin__gls_camt052.xml", "derived/libeufin__gls_camt052__as053.xml"],
      ["hbci4java__test-camt-ruecklastschrift.xml", "derived/hbci4java__test-camt-ruecklastschrift__as053.xml"],
    ]) {
      expect(read(report!).kind).toBe("camt.052");
      expect(read(report!).entries).toEqual(read(statement!).entries);
    }
  });

  it("camt.053.001.10 and .08 are accepted; unknown versions and camt.054 get a German hint", () => {
    expect(read("viafintech__053_valid_example_with_datetime.xml").version).toBe(10);
    const v14 = '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.14"><BkToCstmrStmt/></Document>';
    expect(() => parseCamt(v14)).toThrow(/camt\.053\.001\.14 wird nicht unterstützt.*Bitte exportieren Sie/);
    expect(() => read("genkgo__camt054.v2.xml")).toThrow(/camt\.054/);
  });

  it("GLS: two different transactions share one AcctSvcrRef; the returned transfer (RRTN, AC01) is a return, not a payment", () => {
    const { entries } = read("libeufin__gls_camt053.xml");
    const shared = entries.filter((e) => e.entryReference === "2024041210041357000");
    expect(shared.map((e) => e.amountCents)).toEqual([300, 110]);
    expect(shared[0]!.returned).toBeNull();
    expect(shared[1]!.returned).toMatchObject({ reasonCode: "AC01", reversal: false });
    const keys = dedupKeys(shared);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it("PostFinance: one reference for two credits; reversals (RvslInd) with their reason codes", () => {
    const testbench = read("libeufin__postfinance_testbench_camt053_v2019.xml").entries.filter((e) => e.entryReference === "07582000303KBMSU");
    expect(testbench.map((e) => e.amountCents)).toEqual([153700, 169222]);
    expect(new Set(dedupKeys(testbench)).size).toBe(2);
    const reversals = read("libeufin__postfinance_camt053.xml").entries;
    expect(reversals.map((e) => e.returned)).toEqual([
      { reasonCode: "BE01", reversal: true, originalAmountCents: null },
      { reasonCode: "RR03", reversal: true, originalAmountCents: null },
    ]);
  });

  it("FinTS Rücklastschrift: NONREF is no reference, MS03 read, instructed amount and the bank's fee apart", () => {
    const [e] = read("hbci4java__test-camt-ruecklastschrift.xml").entries;
    expect(e).toMatchObject({ amountCents: -5300, entryReference: null, rawReference: "NONREF", mandateId: "TEST1234" });
    expect(e!.returned).toEqual({ reasonCode: "MS03", reversal: false, originalAmountCents: 5000 });
  });

  it("Swiss .04 returned direct debits (MD06 with RvslInd, PMNT/RDDT/PRDD) are returns", () => {
    const returns = read("viafintech__053_valid_example_v4.xml").entries.filter((e) => e.returned?.reasonCode === "MD06");
    expect(returns.map((e) => [e.amountCents, e.returned!.reversal])).toEqual([
      [-600, true],
      [-1553, true],
    ]);
  });

  it("references from every place: Strd/CdtrRefInf/Ref and EndToEndId (genkgo v8), RfrdDocInf/Nb, AddtlRmtInf", () => {
    expect(read("genkgo__camt053.v8.xml").entries[0]).toMatchObject({ remittanceText: "4654654654654654", endToEndId: "MUELL/FINP/RA12345" });
    const doc = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>m</MsgId></GrpHdr><Stmt>
      <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>
      <Ntry><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-12-01</Dt></BookgDt><AcctSvcrRef>NONREF</AcctSvcrRef>
        <NtryDtls><TxDtls><Refs><EndToEndId>RE-2026-0099</EndToEndId></Refs><RmtInf><Strd>
          <RfrdDocInf><Nb>RE-2026-0011</Nb></RfrdDocInf><AddtlRmtInf>RE-2026-0012</AddtlRmtInf>
        </Strd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>`;
    const [e] = parseCamt(doc).entries;
    expect(e).toMatchObject({ remittanceText: "RE-2026-0011 RE-2026-0012", endToEndId: "RE-2026-0099", entryReference: null });
  });
});
