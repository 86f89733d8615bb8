import { describe, expect, it } from "vitest";

import { loadIssuerConfigFromEnv } from "@/lib/invoices/issuer";

const ENV = {
  INVOICE_ISSUER_NAME: "Nordlicht IT-Services GmbH",
  INVOICE_ISSUER_ADDRESS: "Hafenstraße 12 | 20457 Hamburg",
  INVOICE_ISSUER_TAX_NUMBER: "27/123/45678",
  INVOICE_ISSUER_EMAIL: "buchhaltung@nordlicht-it.de",
  INVOICE_ISSUER_IBAN: "DE89370400440532013000",
  INVOICE_ISSUER_BIC: "COBADEFFXXX",
  INVOICE_ISSUER_BANK_NAME: "Commerzbank",
};

describe("loadIssuerConfigFromEnv", () => {
  it("builds the issuer with defaults", () => {
    expect(loadIssuerConfigFromEnv(ENV)).toEqual({
      name: "Nordlicht IT-Services GmbH",
      address_lines: ["Hafenstraße 12", "20457 Hamburg"],
      tax_number: "27/123/45678",
      vat_id: null,
      email: "buchhaltung@nordlicht-it.de",
      phone: null,
      website: null,
      managing_directors: null,
      commercial_register: null,
      bank: { account_holder: "Nordlicht IT-Services GmbH", iban: "DE89 3704 0044 0532 0130 00", bic: "COBADEFFXXX", bank_name: "Commerzbank" },
      payment_terms_days: 14,
      logo_path: null,
    });
  });

  it("reads optional values", () => {
    const issuer = loadIssuerConfigFromEnv({
      ...ENV,
      INVOICE_ISSUER_ADDRESS: "Hafenstraße 12\n20457 Hamburg",
      INVOICE_ISSUER_VAT_ID: "DE298765432",
      INVOICE_PAYMENT_TERMS_DAYS: "30",
      INVOICE_ISSUER_LOGO_PATH: "/srv/logo.png",
      INVOICE_ISSUER_BANK_ACCOUNT_HOLDER: "Nordlicht GmbH",
    });
    expect(issuer.address_lines).toEqual(["Hafenstraße 12", "20457 Hamburg"]);
    expect(issuer.vat_id).toBe("DE298765432");
    expect(issuer.payment_terms_days).toBe(30);
    expect(issuer.logo_path).toBe("/srv/logo.png");
    expect(issuer.bank.account_holder).toBe("Nordlicht GmbH");
  });

  it("lists every missing variable", () => {
    expect(() => loadIssuerConfigFromEnv({ INVOICE_ISSUER_NAME: "X" })).toThrow(
      "Invoice issuer configuration incomplete: INVOICE_ISSUER_ADDRESS, INVOICE_ISSUER_EMAIL, INVOICE_ISSUER_IBAN, INVOICE_ISSUER_BIC, INVOICE_ISSUER_BANK_NAME, INVOICE_ISSUER_TAX_NUMBER or INVOICE_ISSUER_VAT_ID",
    );
  });

  it("rejects invalid payment terms", () => {
    expect(() => loadIssuerConfigFromEnv({ ...ENV, INVOICE_PAYMENT_TERMS_DAYS: "14 Tage" })).toThrow(/PAYMENT_TERMS/);
  });
});
