import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CamtError, parseAmountCents, parseCamt } from "@/lib/payments/camt";
import { extractInvoiceNumbers, planMatch } from "@/lib/payments/matching";
import { dedupKeys } from "@/lib/payments/identity";

const fixture = (name: string) => readFileSync(join(__dirname, "fixtures", name), "utf8");
const v02 = fixture("camt053-v02.xml")
  .replace("{{AMOUNT_FULL}}", "119.00")
  .replace("{{NUMBER_FULL}}", "RE-2026-0001")
  .replace("{{AMOUNT_PARTIAL}}", "50.5")
  .replace("{{NUMBER_PARTIAL_SPACED}}", "RE 2026 0002")
  .replace("{{AMOUNT_OVER}}", "1000.00")
  .replace("{{NUMBER_OVER}}", "RE-2026-0003");

describe("parseCamt", () => {
  it("reads a camt.053.001.02 statement: booked entries only, signs, dates, references, texts", () => {
    const { messageId, entries } = parseCamt(v02);
    expect(messageId).toBe("CAMT053-20260302-0001");
    expect(entries).toHaveLength(6); // the pending entry is skipped
    expect(entries[0]).toEqual({
      accountIban: "DE89370400440532013000",
      amountCents: 11900,
      currency: "EUR",
      bookingDate: "2026-03-02",
      valueDate: "2026-03-02",
      remittanceText: "Rechnung RE-2026-0001 Kd-Nr. 4711",
      debtorName: "Acme Corp",
      debtorIban: "DE02120300000000202051",
      entryReference: "2026030200001",
      rawReference: "2026030200001",
      endToEndId: null,
      mandateId: null,
      bankTransactionCode: "Prtry:NTRF+166",
      returned: null,
      identity: expect.any(Array),
    });
    expect(entries[1]).toMatchObject({ amountCents: 5050, endToEndId: "E2E-ACME-77", remittanceText: "Teilzahlung RE 2026 0002" });
    expect(entries[3]!.entryReference).toBeNull();
    expect(entries[5]).toMatchObject({ amountCents: -8990, debtorName: "Telekom Deutschland GmbH" });
  });

  it("reads camt.053.001.08: Sts/Cd, DtTm booking dates, Dbtr/Pty/Nm, batch entries split per transaction", () => {
    const { entries } = parseCamt(fixture("camt053-v08.xml"));
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({ amountCents: 119000, bookingDate: "2026-03-05", debtorName: "Bergmann & Söhne KG", remittanceText: "RE-2026-0042 Danke", entryReference: "V08-0001" });
    expect(entries[1]).toMatchObject({ amountCents: 10000, debtorName: "Kunde A", entryReference: "V08-0002-A" });
    expect(entries[2]).toMatchObject({ amountCents: 20000, debtorName: "Kunde B", entryReference: "V08-0002/2" });
  });

  it("rejects non-CAMT input with a German message", () => {
    expect(() => parseCamt("<foo/>")).toThrow(CamtError);
    expect(() => parseCamt('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>')).toThrow(/kein CAMT-Kontoauszug.*camt\.053/);
    expect(() => parseCamt("not xml <<<")).toThrow(CamtError);
  });

  it("parses amounts exactly into cents", () => {
    expect(parseAmountCents("0.1")).toBe(10);
    expect(parseAmountCents("1234567.89")).toBe(123456789);
    expect(parseAmountCents("8.850")).toBe(885);
    expect(parseAmountCents("18.15000")).toBe(1815);
    expect(() => parseAmountCents("1.234")).toThrow(/Bruchteilen eines Cents/);
    expect(() => parseAmountCents("-5")).toThrow(CamtError);
  });

  it("dedup keys: hash of what identifies the entry + occurrence (identical transfers stay two)", () => {
    const { entries } = parseCamt(v02);
    const keys = dedupKeys(entries);
    expect(keys[0]).toMatch(/^v2:[0-9a-f]{64}:1$/);
    expect(keys[3]).toMatch(/^v2:[0-9a-f]{64}:1$/);
    expect(keys[4]).toBe(keys[3]!.replace(/:1$/, ":2"));
    expect(new Set(keys).size).toBe(keys.length);
    expect(dedupKeys(parseCamt(v02).entries)).toEqual(keys);
  });
});

describe("matching", () => {
  const open = [
    { id: 1, invoiceNumber: "RE-2026-0001", openCents: 11900 },
    { id: 2, invoiceNumber: "RE-2026-0002", openCents: 5000 },
  ];
  const entry = (amountCents: number, remittanceText: string | null, currency = "EUR") => ({ amountCents, currency, remittanceText });

  it("finds invoice numbers also with spaces or without hyphens", () => {
    expect(extractInvoiceNumbers("Zahlung RE 2026 0042 und re-2026-00043, RE20260044")).toEqual(["RE-2026-0042", "RE-2026-00043", "RE-2026-0044"]);
    expect(extractInvoiceNumbers("Miete März")).toEqual([]);
  });

  it("exact amount → matched", () => {
    expect(planMatch(entry(11900, "RE-2026-0001"), open)).toEqual({ status: "matched", allocations: [{ invoiceId: 1, invoiceNumber: "RE-2026-0001", amountCents: 11900 }], openCents: 0, note: null });
  });

  it("less than open → partial payment of that amount", () => {
    const plan = planMatch(entry(4000, "RE-2026-0001"), open);
    expect(plan.status).toBe("matched");
    expect(plan.allocations).toEqual([{ invoiceId: 1, invoiceNumber: "RE-2026-0001", amountCents: 4000 }]);
  });

  it("more than open → the open amount is booked, the rest stays open", () => {
    const plan = planMatch(entry(20000, "RE-2026-0001"), open);
    expect(plan).toMatchObject({ status: "partially_matched", openCents: 8100, allocations: [{ invoiceId: 1, amountCents: 11900 }] });
    expect(plan.note).toContain("81,00");
  });

  it("several numbers → filled in order of mention", () => {
    const plan = planMatch(entry(16900, "RE-2026-0002, RE-2026-0001"), open);
    expect(plan.allocations.map((a) => [a.invoiceId, a.amountCents])).toEqual([[2, 5000], [1, 11900]]);
    expect(plan.status).toBe("matched");
  });

  it("no number, unknown/paid invoice, debit, foreign currency", () => {
    expect(planMatch(entry(100, "Spende"), open)).toMatchObject({ status: "unmatched", openCents: 100, allocations: [] });
    expect(planMatch(entry(100, "RE-2026-9999"), open)).toMatchObject({ status: "unmatched", openCents: 100 });
    expect(planMatch(entry(100, "RE-2026-0001"), [{ id: 1, invoiceNumber: "RE-2026-0001", openCents: 0 }])).toMatchObject({ status: "unmatched" });
    expect(planMatch(entry(-100, "RE-2026-0001"), open)).toMatchObject({ status: "ignored", openCents: 0 });
    expect(planMatch(entry(100, "RE-2026-0001", "USD"), open)).toMatchObject({ status: "ignored" });
  });
});
