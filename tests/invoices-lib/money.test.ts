import { describe, expect, it } from "vitest";

import { centsToNumber, formatEuro, formatEuroNumber, MoneyParseError, parseEuroToCents, tryParseEuroToCents } from "@/lib/money";

describe("formatEuro", () => {
  it.each([
    [4900, "49,00 €"],
    [0, "0,00 €"],
    [5, "0,05 €"],
    [99, "0,99 €"],
    [123456, "1.234,56 €"],
    [100000000, "1.000.000,00 €"],
    [-1200, "-12,00 €"],
    [-5, "-0,05 €"],
    [-123456789, "-1.234.567,89 €"],
  ])("%i cents → %s", (cents, expected) => {
    expect(formatEuro(cents)).toBe(expected);
  });

  it("uses a normal space, not U+00A0 / U+202F", () => {
    const text = formatEuro(4900);
    expect(text.charCodeAt(5)).toBe(0x20);
    expect(text).not.toMatch(/[\u00a0\u202f]/);
  });

  it("formats without symbol", () => {
    expect(formatEuroNumber(123456)).toBe("1.234,56");
  });

  it("rejects non-integer cents", () => {
    expect(() => formatEuro(49.5)).toThrow(RangeError);
    expect(() => formatEuro(Number.NaN)).toThrow(RangeError);
  });
});

describe("centsToNumber", () => {
  it("converts to JSON numbers with 2 decimals", () => {
    expect(centsToNumber(4900)).toBe(49);
    expect(centsToNumber(4999)).toBe(49.99);
    expect(centsToNumber(7)).toBe(0.07);
    expect(centsToNumber(-1)).toBe(-0.01);
    expect(Object.is(centsToNumber(-0), 0)).toBe(true);
    expect(JSON.stringify({ amount: centsToNumber(11899) })).toBe('{"amount":118.99}');
  });
});

describe("parseEuroToCents", () => {
  it.each<[string | number, number]>([
    ["49,00", 4900],
    ["49.00", 4900],
    [49, 4900],
    [49.5, 4950],
    [49.99, 4999],
    [0.07, 7],
    ["49", 4900],
    ["49,5", 4950],
    ["1.234,56", 123456],
    ["1,234.56", 123456],
    ["1.234.567", 123456700],
    ["1.234.567,89", 123456789],
    ["-12,00", -1200],
    ["−12,00", -1200],
    ["49,00 €", 4900],
    ["49,00\u00a0€", 4900],
    ["€ 49", 4900],
    ["  7,5 ", 750],
    [",50", 50],
    ["-0,00", 0],
  ])("%s → %i", (input, expected) => {
    expect(parseEuroToCents(input)).toBe(expected);
  });

  it.each<string | number>([
    "49,999",
    "49.999",
    "1.234", // ambiguous: would be three decimals
    49.999,
    0.1 + 0.2,
    "",
    "€",
    "abc",
    "49,",
    "1.23.4",
    "12,34,56",
    "1.234,5.6",
    "--5",
    "4 9x",
    Number.NaN,
    Number.POSITIVE_INFINITY,
    1e21,
    "99999999999999999999",
  ])("rejects %s", (input) => {
    expect(() => parseEuroToCents(input)).toThrow(MoneyParseError);
    expect(tryParseEuroToCents(input)).toBeNull();
  });

  it("round-trips formatEuro and centsToNumber exactly", () => {
    for (let cents = -250_000; cents <= 250_000; cents += 37) {
      expect(parseEuroToCents(formatEuro(cents))).toBe(cents);
      expect(parseEuroToCents(centsToNumber(cents))).toBe(cents);
    }
  });
});
