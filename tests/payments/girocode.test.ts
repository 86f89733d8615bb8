import { describe, expect, it } from "vitest";
import { detailGiroCode, giroCodeDataUrl, giroCodePath, giroCodePayload, GiroCodeError } from "@/lib/invoices/girocode";

describe("GiroCode (EPC069-12)", () => {
  it("builds the payload line by line", () => {
    const payload = giroCodePayload({ bic: "COBADEFFXXX", name: "MyIT Center GmbH", iban: "DE89 3704 0044 0532 0130 00", amountCents: 22598, reference: "RE-2026-0007" });
    expect(payload.split("\n")).toEqual(["BCD", "002", "1", "SCT", "COBADEFFXXX", "MyIT Center GmbH", "DE89370400440532013000", "EUR225.98", "", "", "RE-2026-0007"]);
  });

  it("formats amounts with two decimals and truncates the name to 70 characters", () => {
    const payload = giroCodePayload({ bic: "x", name: "N".repeat(80), iban: "DE89370400440532013000", amountCents: 5, reference: "R" });
    expect(payload.split("\n")[7]).toBe("EUR0.05");
    expect(payload.split("\n")[5]).toHaveLength(70);
  });

  it("refuses zero/negative amounts and broken IBANs", () => {
    expect(() => giroCodePayload({ bic: "B", name: "N", iban: "DE89370400440532013000", amountCents: 0, reference: "R" })).toThrow(GiroCodeError);
    expect(() => giroCodePayload({ bic: "B", name: "N", iban: "kaputt", amountCents: 100, reference: "R" })).toThrow(GiroCodeError);
  });

  it("renders a PNG data URL and an SVG path", async () => {
    const payload = giroCodePayload({ bic: "COBADEFFXXX", name: "N", iban: "DE89370400440532013000", amountCents: 100, reference: "RE-2026-0001" });
    expect(await giroCodeDataUrl(payload)).toMatch(/^data:image\/png;base64,/);
    const path = giroCodePath(payload);
    expect(path.size).toBeGreaterThanOrEqual(21);
    expect(path.d).toMatch(/^M\d+ \d+h1v1h-1z/);
  });

  it("detail field only for open invoices with an issuer snapshot", () => {
    const issuer = { bank: { bic: "COBADEFFXXX", iban: "DE89 3704 0044 0532 0130 00", account_holder: "MyIT Center GmbH" } };
    const row = { kind: "invoice" as const, invoiceNumber: "RE-2026-0001", issuer };
    expect(detailGiroCode(row, "sent", 1000)?.split("\n")[7]).toBe("EUR10.00");
    expect(detailGiroCode(row, "partially_paid", 400)?.split("\n")[7]).toBe("EUR4.00");
    expect(detailGiroCode(row, "paid", 0)).toBeNull();
    expect(detailGiroCode(row, "cancelled", 1000)).toBeNull();
    expect(detailGiroCode({ ...row, kind: "credit_note" }, "sent", 1000)).toBeNull();
    expect(detailGiroCode({ ...row, issuer: null }, "sent", 1000)).toBeNull();
  });
});
