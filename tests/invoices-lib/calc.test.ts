import { addDays, formatDateDe, todayIsoDate } from "@/lib/time";
import { describe, expect, it } from "vitest";

import { calculateInvoice, deriveStatus, formatQuantity, formatVatRate, INVOICE_STATUS_LABELS, INVOICE_STATUSES, InvoiceCalcError, lineNetCents, milliToDecimalString, negateItems, parseQuantityToMilli, summarizeLines, summarizePayments, vatCents, type DeriveStatusInput, type InvoiceItemInput } from "@/lib/invoices/calc";

const item = (overrides: Partial<InvoiceItemInput>): InvoiceItemInput => ({
  description: "Leistung",
  quantity: 1,
  unit: "Stück",
  unit_price_cents: 100,
  vat_rate: 1900,
  ...overrides,
});

describe("calculateInvoice – awkward amounts", () => {
  it("3 × 33,33 € at 19 %: VAT on the summed net, not per line", () => {
    const result = calculateInvoice([item({ quantity: 3, unit_price_cents: 3333, vat_rate: 1900 })]);
    expect(result.lines[0]?.net_cents).toBe(9999);
    expect(result.breakdown).toEqual([{ vat_rate: 1900, net_cents: 9999, vat_cents: 1900, gross_cents: 11899 }]);
    expect(result.totals).toEqual({ net_cents: 9999, vat_cents: 1900, gross_cents: 11899 });
    // per-line rounding would give 3 × 6,33 € = 18,99 € – the method matters:
    expect(3 * vatCents(3333, 1900)).toBe(1899);
  });

  it("3 × 33,33 € at 7 %", () => {
    const result = calculateInvoice([item({ quantity: 3, unit_price_cents: 3333, vat_rate: 700 })]);
    expect(result.totals).toEqual({ net_cents: 9999, vat_cents: 700, gross_cents: 10699 });
  });

  it("mixed rates: three single lines of 33,33 € per rate, breakdown highest rate first", () => {
    const items = [
      item({ unit_price_cents: 3333, vat_rate: 700 }),
      item({ unit_price_cents: 3333, vat_rate: 1900 }),
      item({ unit_price_cents: 3333, vat_rate: 700 }),
      item({ unit_price_cents: 3333, vat_rate: 1900 }),
      item({ unit_price_cents: 3333, vat_rate: 700 }),
      item({ unit_price_cents: 3333, vat_rate: 1900 }),
    ];
    const result = calculateInvoice(items);
    expect(result.lines.map((l) => l.position)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.breakdown).toEqual([
      { vat_rate: 1900, net_cents: 9999, vat_cents: 1900, gross_cents: 11899 },
      { vat_rate: 700, net_cents: 9999, vat_cents: 700, gross_cents: 10699 },
    ]);
    expect(result.totals).toEqual({ net_cents: 19998, vat_cents: 2600, gross_cents: 22598 });
  });

  it("decimal quantities round half up per line", () => {
    expect(calculateInvoice([item({ quantity: "1,5", unit_price_cents: 9500 })]).lines[0]?.net_cents).toBe(14250);
    expect(calculateInvoice([item({ quantity: 2.5, unit_price_cents: 33 })]).lines[0]?.net_cents).toBe(83); // 82,5 → 83
    expect(calculateInvoice([item({ quantity: "0.5", unit_price_cents: 1 })]).lines[0]?.net_cents).toBe(1);
    expect(calculateInvoice([item({ quantity: "0.333", unit_price_cents: 1000 })]).lines[0]?.net_cents).toBe(333);
    expect(calculateInvoice([item({ quantity: "1234.567", unit_price_cents: 8999 })]).lines[0]?.net_cents).toBe(11109868);
    expect(calculateInvoice([item({ quantity: "0.001", unit_price_cents: 1 })]).lines[0]?.net_cents).toBe(0);
  });

  it("VAT rounds half up on exact halves", () => {
    expect(vatCents(50, 1900)).toBe(10); // 9,5 ct
    expect(vatCents(150, 700)).toBe(11); // 10,5 ct
    expect(vatCents(49, 1900)).toBe(9); // 9,31 ct
    expect(vatCents(-50, 1900)).toBe(-10);
    expect(vatCents(1000, 0)).toBe(0);
  });

  it("sums many awkward lines without floating-point drift", () => {
    const items = Array.from({ length: 1000 }, () => item({ quantity: "0.1", unit_price_cents: 33 })); // 3,3 → 3 ct each
    const result = calculateInvoice(items);
    expect(result.totals.net_cents).toBe(3000);
    expect(result.totals.vat_cents).toBe(570);
    const big = calculateInvoice([item({ quantity: 1_000_000, unit_price_cents: 99_999_999, vat_rate: 1900 })]);
    expect(big.totals).toEqual({ net_cents: 99_999_999_000_000, vat_cents: 18_999_999_810_000, gross_cents: 118_999_998_810_000 });
  });

  it("handles discounts (negative unit price)", () => {
    const result = calculateInvoice([
      item({ quantity: 1, unit_price_cents: 10000 }),
      item({ description: "Rabatt 10 %", quantity: 1, unit_price_cents: -1000 }),
    ]);
    expect(result.totals).toEqual({ net_cents: 9000, vat_cents: 1710, gross_cents: 10710 });
  });

  it("a credit note with negated quantities mirrors the original exactly", () => {
    const original = [
      item({ quantity: 3, unit_price_cents: 3333, vat_rate: 1900 }),
      item({ quantity: "2.5", unit_price_cents: 33, vat_rate: 700 }),
      item({ quantity: "0,5", unit_price_cents: 1, vat_rate: 1900 }),
    ];
    const inv = calculateInvoice(original);
    const credit = calculateInvoice(negateItems(original));
    expect(credit.lines.map((l) => l.quantity_milli)).toEqual([-3000, -2500, -500]);
    expect(credit.lines.map((l) => l.net_cents)).toEqual(inv.lines.map((l) => -l.net_cents));
    expect(credit.breakdown).toEqual(
      inv.breakdown.map((b) => ({ vat_rate: b.vat_rate, net_cents: -b.net_cents, vat_cents: -b.vat_cents, gross_cents: -b.gross_cents })),
    );
    expect(credit.totals).toEqual({ net_cents: -10083, vat_cents: -1906, gross_cents: -11989 });
    expect(credit.totals.gross_cents).toBe(-inv.totals.gross_cents);
    // negative price instead of negative quantity gives the same amounts
    const viaPrice = calculateInvoice(original.map((i) => ({ ...i, unit_price_cents: -i.unit_price_cents })));
    expect(viaPrice.totals).toEqual(credit.totals);
  });

  it("summarizeLines reproduces the calculation from stored lines", () => {
    const result = calculateInvoice([item({ quantity: 3, unit_price_cents: 3333 }), item({ unit_price_cents: 3333, vat_rate: 700 })]);
    expect(summarizeLines(result.lines)).toEqual(result);
  });

  it("rejects invalid input", () => {
    expect(() => calculateInvoice([item({ quantity: "1.2345" })])).toThrow(InvoiceCalcError);
    expect(() => calculateInvoice([item({ quantity: "zwei" })])).toThrow(InvoiceCalcError);
    expect(() => calculateInvoice([item({ vat_rate: 19.5 })])).toThrow(InvoiceCalcError);
    expect(() => calculateInvoice([item({ vat_rate: -700 })])).toThrow(InvoiceCalcError);
    expect(() => calculateInvoice([item({ unit_price_cents: 33.33 })])).toThrow(InvoiceCalcError);
    expect(() => calculateInvoice([item({ description: "  " })])).toThrow(InvoiceCalcError);
    expect(() => calculateInvoice([item({ vat_rate: 1900 })], { reverse_charge: true })).toThrow(/reverse charge/);
    expect(calculateInvoice([item({ vat_rate: 0 })], { reverse_charge: true }).totals.vat_cents).toBe(0);
  });

  it("returns zero totals for no items", () => {
    expect(calculateInvoice([])).toEqual({ lines: [], breakdown: [], totals: { net_cents: 0, vat_cents: 0, gross_cents: 0 } });
  });
});

describe("quantities and rates", () => {
  it.each<[string | number, number]>([
    [1, 1000],
    ["1,5", 1500],
    ["1.5", 1500],
    [1.5, 1500],
    ["0.125", 125],
    [".5", 500],
    ["-2", -2000],
    [" 3 ", 3000],
    ["-0", 0],
  ])("parseQuantityToMilli(%s) = %i", (input, milli) => {
    expect(parseQuantityToMilli(input)).toBe(milli);
  });

  it("formats quantities, decimal strings and VAT rates", () => {
    expect(formatQuantity(1500)).toBe("1,5");
    expect(formatQuantity(2000)).toBe("2");
    expect(formatQuantity(-250)).toBe("-0,25");
    expect(formatQuantity(1234500)).toBe("1.234,5");
    expect(milliToDecimalString(-1250)).toBe("-1.25");
    expect(milliToDecimalString(3000)).toBe("3");
    expect(formatVatRate(1900)).toBe("19 %");
    expect(formatVatRate(750)).toBe("7,5 %");
    expect(formatVatRate(0)).toBe("0 %");
    expect(lineNetCents(-500, 1)).toBe(-1);
  });

  it("dates", () => {
    expect(formatDateDe("2026-02-03")).toBe("03.02.2026");
    expect(addDays("2026-02-20", 14)).toBe("2026-03-06");
    expect(addDays("2028-02-20", 14)).toBe("2028-03-05");
    expect(addDays("2026-12-25", 14)).toBe("2027-01-08");
    expect(todayIsoDate(new Date("2026-03-31T22:30:00Z"))).toBe("2026-04-01"); // CEST
    expect(todayIsoDate(new Date("2026-01-15T23:30:00Z"))).toBe("2026-01-16"); // CET
    expect(todayIsoDate(new Date("2026-01-15T22:30:00Z"))).toBe("2026-01-15");
  });
});

describe("payments and status", () => {
  it("summarizes payments", () => {
    expect(summarizePayments(11899, [])).toEqual({ paid_cents: 0, remaining_cents: 11899 });
    expect(
      summarizePayments(11899, [
        { amount_cents: 5000 },
        { amount_cents: 6899 },
      ]),
    ).toEqual({ paid_cents: 11899, remaining_cents: 0 });
    expect(() => summarizePayments(11899, [{ amount_cents: 49.5 }])).toThrow(InvoiceCalcError);
  });

  const base: DeriveStatusInput = {
    issued: true,
    cancelled: false,
    gross_cents: 11899,
    paid_cents: 0,
    due_date: "2026-02-17",
    today: "2026-02-10",
  };

  it.each<[string, Partial<DeriveStatusInput>, string]>([
    ["not issued", { issued: false }, "draft"],
    ["draft past due date", { issued: false, today: "2026-03-01" }, "draft"],
    ["cancelled", { cancelled: true }, "cancelled"],
    ["cancelled and overdue", { cancelled: true, today: "2026-03-01" }, "cancelled"],
    ["issued, unpaid", {}, "sent"],
    ["partially paid", { paid_cents: 5000 }, "partially_paid"],
    ["fully paid", { paid_cents: 11899 }, "paid"],
    ["overpaid", { paid_cents: 12000 }, "paid"],
    ["paid after due date", { paid_cents: 11899, today: "2026-03-01" }, "paid"],
    ["due today is not overdue", { today: "2026-02-17" }, "sent"],
    ["day after due date", { today: "2026-02-18" }, "overdue"],
    ["partially paid and overdue", { paid_cents: 5000, today: "2026-02-18" }, "overdue"],
    ["no due date", { due_date: null, today: "2030-01-01" }, "sent"],
    ["zero invoice", { gross_cents: 0 }, "paid"],
    ["credit note not refunded", { gross_cents: -11899 }, "sent"],
    ["credit note partly refunded", { gross_cents: -11899, paid_cents: -5000 }, "partially_paid"],
    ["credit note refunded", { gross_cents: -11899, paid_cents: -11899 }, "paid"],
  ])("%s", (_name, overrides, expected) => {
    expect(deriveStatus({ ...base, ...overrides })).toBe(expected);
  });

  it("rejects malformed dates", () => {
    expect(() => deriveStatus({ ...base, today: "10.02.2026" })).toThrow(InvoiceCalcError);
    expect(() => deriveStatus({ ...base, due_date: "2026-2-17" })).toThrow(InvoiceCalcError);
  });

  it("has German labels for every status", () => {
    expect(Object.keys(INVOICE_STATUS_LABELS).sort()).toEqual([...INVOICE_STATUSES].sort());
    expect(INVOICE_STATUS_LABELS).toEqual({
      draft: "Entwurf",
      sent: "Offen",
      partially_paid: "Teilweise bezahlt",
      paid: "Bezahlt",
      overdue: "Überfällig",
      cancelled: "Storniert",
    });
  });
});
