/**
 * Pure SEPA parts: IBAN/BIC (ibantools), creditor identifier (ISO 7064 mod 97-10), the mandate
 * text, and the pain.008.001.08 structure. No XSD of pain.008.001.08 is available from npm or
 * Debian, so the file is checked by xmllint (well-formed) and, parsed, for every mandatory element.
 */
import { spawnSync } from "node:child_process";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { creditorIdCheckDigits, isValidCreditorId } from "@/lib/creditor-id";
import { checkAccount } from "@/lib/sepa/identifiers";
import { mandateText, newMandateReference } from "@/lib/sepa/mandate-text";
import { debitNoticeText, maskIban } from "@/lib/sepa/notice";
import { buildPain008, PAIN_008_NAMESPACE, sepaText, type Pain008Transaction } from "@/lib/sepa/pain008";

describe("IBAN and BIC", () => {
  it("accepts a valid German IBAN with spaces, no BIC needed", () => {
    expect(checkAccount("de89 3704 0044 0532 0130 00", "")).toEqual({ ok: true, iban: "DE89370400440532013000", bic: null, country: "DE" });
  });
  it("refuses a wrong check digit in German", () => {
    const result = checkAccount("DE88370400440532013000");
    expect(result).toEqual({ ok: false, errors: { iban: ["Die IBAN ist ungültig (Prüfziffer oder Länge stimmt nicht)."] } });
  });
  it("asks for the BIC outside Germany and checks its format", () => {
    expect(checkAccount("AT611904300234573201")).toMatchObject({ ok: false, errors: { bic: ["Für Konten außerhalb Deutschlands bitte den BIC angeben."] } });
    expect(checkAccount("AT611904300234573201", "BKAUATWW")).toMatchObject({ ok: true, bic: "BKAUATWW" });
    expect(checkAccount("AT611904300234573201", "XX")).toMatchObject({ ok: false, errors: { bic: [expect.stringContaining("BIC ist ungültig")] } });
  });
  it("refuses an IBAN outside the SEPA area", () => {
    expect(checkAccount("BR1800360305000010009795493C1")).toMatchObject({ ok: false, errors: { iban: [expect.stringContaining("SEPA")] } });
  });
  it("masks all but country, check digits and the last four", () => {
    expect(maskIban("DE89370400440532013000")).toBe("DE89 **** **** **** **30 00");
  });
});

describe("creditor identifier (Gläubiger-ID)", () => {
  it("checks ISO 7064 mod 97-10 over the national part, without the business code", () => {
    expect(isValidCreditorId("DE98ZZZ09999999999")).toBe(true);
    expect(isValidCreditorId("DE98ABC09999999999")).toBe(true); // the business code is not part of the check
    expect(isValidCreditorId("DE97ZZZ09999999999")).toBe(false);
    expect(isValidCreditorId("DE98ZZZ09999999998")).toBe(false);
    expect(isValidCreditorId("de98 zzz 0999 9999 999")).toBe(true);
    expect(creditorIdCheckDigits("DE", "0000012345")).toBe("13");
    expect(isValidCreditorId("DE13ZZZ0000012345")).toBe(true);
  });
  it("is configuration: SEPA_CREDITOR_ID is validated, the lead time has a default of 5 days", () => {
    expect(parseConfig({ SEPA_CREDITOR_ID: "DE98ZZZ09999999999" })).toMatchObject({ SEPA_CREDITOR_ID: "DE98ZZZ09999999999", SEPA_PRENOTIFICATION_DAYS: 5 });
    expect(parseConfig({})).toMatchObject({ SEPA_CREDITOR_ID: "DE98ZZZ09999999999" }); // development default: the Bundesbank's test ID
    expect(() => parseConfig({ SEPA_CREDITOR_ID: "DE97ZZZ09999999999" })).toThrow(/SEPA_CREDITOR_ID: ist keine gültige Gläubiger-Identifikationsnummer/);
    expect(parseConfig({ SEPA_PRENOTIFICATION_DAYS: "10" }).SEPA_PRENOTIFICATION_DAYS).toBe(10);
  });
});

describe("mandate text", () => {
  const base = {
    creditorName: "MyIT Center GmbH",
    creditorAddress: ["Musterstraße 1", "10115 Berlin"],
    creditorId: "DE98ZZZ09999999999",
    reference: newMandateReference(2, "abc123def456"),
    mandateType: "recurrent" as const,
    accountHolder: "Bergmann Logistik GmbH",
    iban: "DE89370400440532013000",
    bic: null,
    signedOn: "2026-11-02",
    signedByName: "Claudia Bergmann",
    companyName: "Bergmann Logistik GmbH",
  };
  it("CORE: the German standard wording with the eight-week refund note, creditor and Gläubiger-ID", () => {
    const text = mandateText({ ...base, scheme: "CORE" });
    expect(base.reference).toBe("MP000002-ABC123DEF4");
    expect(text).toContain("Ich ermächtige / Wir ermächtigen MyIT Center GmbH, Zahlungen von meinem / unserem Konto mittels Lastschrift einzuziehen.");
    expect(text).toContain("innerhalb von acht Wochen");
    expect(text).toContain("Gläubiger-Identifikationsnummer: DE98ZZZ09999999999");
    expect(text).toContain("Mandatsreferenz: MP000002-ABC123DEF4");
    expect(text).toContain("IBAN: DE89 3704 0044 0532 0130 00");
  });
  it("B2B: no refund right, the bank must be told", () => {
    const text = mandateText({ ...base, scheme: "B2B" });
    expect(text).toContain("SEPA-Firmenlastschrift-Mandat");
    expect(text).toContain("nicht berechtigt, nach der erfolgten Einlösung eine Erstattung");
    expect(text).not.toContain("acht Wochen");
  });
  it("the pre-notification names amount, date, mandate reference and creditor ID", () => {
    const notice = debitNoticeText({ amount_cents: 58310, collection_date: "2026-11-07", mandate_reference: "MP000002-X", creditor_id: "DE98ZZZ09999999999", scheme: "CORE", iban_masked: "DE89 …" }, "RE-2026-0042");
    expect(notice).toContain("583,10 €");
    expect(notice).toContain("07.11.2026");
    expect(notice).toContain("Mandatsreferenz: MP000002-X");
    expect(notice).toContain("Gläubiger-ID: DE98ZZZ09999999999");
  });
});

const tx = (overrides: Partial<Pain008Transaction>): Pain008Transaction => ({
  endToEndId: "RE-2026-0001",
  amountCents: 11900,
  mandateReference: "MP000001-AAAA",
  mandateSignedOn: "2026-10-01",
  debtorName: "Müller & Söhne GmbH",
  debtorIban: "DE89370400440532013000",
  debtorBic: null,
  remittance: "Rechnung RE-2026-0001",
  scheme: "CORE",
  sequenceType: "FRST",
  ...overrides,
});

function build(transactions: Pain008Transaction[]) {
  return buildPain008({
    messageId: "MP20261107TEST",
    createdAt: "2026-11-02T10:00:00",
    collectionDate: "2026-11-07",
    creditor: { name: "MyIT Center GmbH", iban: "DE89370400440532013000", bic: "COBADEFFXXX", creditorId: "DE98ZZZ09999999999" },
    transactions,
  });
}

const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

describe("pain.008.001.08", () => {
  const xml = build([
    tx({}),
    tx({ endToEndId: "RE-2026-0002", amountCents: 5000, mandateReference: "MP000002-BBBB", sequenceType: "RCUR", debtorBic: "BKAUATWW", debtorIban: "AT611904300234573201" }),
    tx({ endToEndId: "RE-2026-0003", amountCents: 2550, mandateReference: "MP000003-CCCC", scheme: "B2B", sequenceType: "OOFF" }),
  ]);

  it("is well-formed for xmllint", () => {
    const result = spawnSync("xmllint", ["--noout", "-"], { input: xml, encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const broken = spawnSync("xmllint", ["--noout", "-"], { input: xml.replace("</GrpHdr>", ""), encoding: "utf8" });
    expect(broken.status).not.toBe(0);
  });

  it("has every mandatory element, in the namespace of pain.008.001.08", () => {
    const doc = new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(xml);
    expect(doc.Document["@_xmlns"]).toBe(PAIN_008_NAMESPACE);
    const root = doc.Document.CstmrDrctDbtInitn;
    expect(Object.keys(root)).toEqual(["GrpHdr", "PmtInf"]);
    const header = root.GrpHdr;
    expect(Object.keys(header)).toEqual(["MsgId", "CreDtTm", "NbOfTxs", "CtrlSum", "InitgPty"]);
    expect(header).toMatchObject({ MsgId: "MP20261107TEST", CreDtTm: "2026-11-02T10:00:00", NbOfTxs: "3", CtrlSum: "194.50", InitgPty: { Nm: "MyIT Center GmbH" } });

    const blocks = asArray(root.PmtInf);
    expect(blocks.map((b: any) => [b.PmtTpInf.LclInstrm.Cd, b.PmtTpInf.SeqTp])).toEqual([
      ["CORE", "FRST"],
      ["CORE", "RCUR"],
      ["B2B", "OOFF"],
    ]);
    for (const block of blocks) {
      expect(Object.keys(block)).toEqual(["PmtInfId", "PmtMtd", "BtchBookg", "NbOfTxs", "CtrlSum", "PmtTpInf", "ReqdColltnDt", "Cdtr", "CdtrAcct", "CdtrAgt", "ChrgBr", "CdtrSchmeId", "DrctDbtTxInf"]);
      expect(block.PmtMtd).toBe("DD");
      expect(block.PmtTpInf.SvcLvl.Cd).toBe("SEPA");
      expect(block.ReqdColltnDt).toBe("2026-11-07");
      expect(block.Cdtr.Nm).toBe("MyIT Center GmbH");
      expect(block.CdtrAcct.Id.IBAN).toBe("DE89370400440532013000");
      expect(block.CdtrAgt.FinInstnId.BICFI).toBe("COBADEFFXXX");
      expect(block.CdtrSchmeId.Id.PrvtId.Othr).toEqual({ Id: "DE98ZZZ09999999999", SchmeNm: { Prtry: "SEPA" } });
      for (const t of asArray(block.DrctDbtTxInf) as any[]) {
        expect(Object.keys(t)).toEqual(["PmtId", "InstdAmt", "DrctDbtTx", "DbtrAgt", "Dbtr", "DbtrAcct", "RmtInf"]);
        expect(t.PmtId.EndToEndId).toMatch(/^RE-2026-000\d$/);
        expect(t.InstdAmt["@_Ccy"]).toBe("EUR");
        expect(t.InstdAmt["#text"]).toMatch(/^\d+\.\d{2}$/);
        expect(Object.keys(t.DrctDbtTx.MndtRltdInf)).toEqual(["MndtId", "DtOfSgntr"]);
        expect(t.DbtrAgt.FinInstnId).toBeDefined();
        expect(t.Dbtr.Nm).toBe("Mueller + Soehne GmbH");
        expect(t.DbtrAcct.Id.IBAN).toMatch(/^[A-Z]{2}\d{2}/);
        expect(t.RmtInf.Ustrd).toMatch(/^Rechnung RE-2026-000\d$/);
      }
    }
    const [first, second] = blocks as any[];
    expect(first.DrctDbtTxInf.DbtrAgt.FinInstnId).toEqual({ Othr: { Id: "NOTPROVIDED" } });
    expect(second.DrctDbtTxInf.DbtrAgt.FinInstnId).toEqual({ BICFI: "BKAUATWW" });
    expect(second.CtrlSum).toBe("50.00");
  });

  it("reduces texts to the SEPA character set", () => {
    expect(sepaText("Grüße an „Köln“ & Co <b>", 70)).toBe("Gruesse an Koeln + Co b");
    expect(sepaText("x".repeat(200), 140)).toHaveLength(140);
  });
});
