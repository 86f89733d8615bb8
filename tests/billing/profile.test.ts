/**
 * Billing profiles: the validation rules (VAT ID per country, post code per country, Leitweg-ID
 * check digits, VAT treatment) with their German messages, and the endpoints — staff edit the
 * whole profile, customer admins only address and invoice e-mails, every change is logged.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as staffGet, PUT as staffPut } from "@/app/api/manage/admin/instances/[id]/billing-profile/route";
import { GET as ownGet, PUT as ownPut } from "@/app/api/manage/billing-profile/route";
import { activityLog, instances } from "@/db/schema";
import { leitwegCheckDigits, leitwegIdProblem, postCodeProblem, staffProfileBody, vatIdProblem } from "@/lib/invoices/billing-profile-schemas";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { loginAs } from "../invoices/helpers";

describe("validation rules", () => {
  it("checks Leitweg-ID check digits with ISO 7064 Mod 97-10", () => {
    expect(leitwegCheckDigits("99112345")).toBe("73");
    expect(leitwegIdProblem("991-12345-67")).toBe("Die Prüfziffer der Leitweg-ID stimmt nicht (erwartet 73).");
    expect(leitwegIdProblem("991-12345-73")).toBeNull();
    expect(leitwegIdProblem("04011000-1234512345-06")).toBeNull();
    // letters in the Feinadressierung count as 10–35
    expect(leitwegIdProblem(`991-ABC-${leitwegCheckDigits("991ABC")}`)).toBeNull();
    expect(leitwegIdProblem("991_12345")).toMatch(/^Die Leitweg-ID hat nicht das Format/);
  });

  it("checks VAT IDs and post codes in the format of the country", () => {
    expect(vatIdProblem("AT", "ATU12345678")).toBeNull();
    expect(vatIdProblem("AT", "AT12345678")).toBe("Die USt-IdNr. hat nicht das Format für Österreich (z. B. ATU12345678).");
    expect(vatIdProblem("DE", "DE12345678")).toBe("Die USt-IdNr. hat nicht das Format für Deutschland (z. B. DE123456789).");
    expect(vatIdProblem("GR", "EL123456789")).toBeNull();
    expect(postCodeProblem("DE", "7056")).toBe("Die Postleitzahl passt nicht zu Deutschland (5 Ziffern, z. B. 70565).");
    expect(postCodeProblem("AT", "1060")).toBeNull();
    expect(postCodeProblem("AT", "10600")).toBe("Die Postleitzahl passt nicht zu Österreich (4 Ziffern, z. B. 1010).");
  });

  it("ties VAT treatment, VAT ID, exemption reason and XRechnung fields together", () => {
    const base = { legal_name: "X GmbH", street: "Weg 1", post_code: "1060", city: "Wien", country_code: "AT" };
    const errors = (input: object) => {
      const result = staffProfileBody.safeParse(input);
      return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
    };
    expect(errors({ ...base, vat_treatment: "eu_reverse_charge" })).toEqual({ vat_id: "Bei Reverse Charge ist die USt-IdNr. des Empfängers Pflicht." });
    expect(errors({ ...base, vat_treatment: "eu_reverse_charge", vat_id: "atu 123 456 78" })).toEqual({});
    expect(errors({ ...base, country_code: "DE", post_code: "28197", vat_treatment: "eu_reverse_charge", vat_id: "DE811234567" })).toEqual({
      vat_treatment: "Reverse Charge gilt nur für Empfänger in einem anderen EU-Land.",
    });
    expect(errors({ ...base, vat_treatment: "tax_exempt" }).exemption_reason).toMatch(/^Bitte den gesetzlichen Befreiungsgrund/);
    expect(errors({ ...base, vat_treatment: "outside_eu" })).toEqual({ vat_treatment: "„Drittland“ gilt nur für Empfänger außerhalb der EU." });
    expect(errors({ ...base, country_code: "CH", post_code: "8001", vat_treatment: "outside_eu" })).toEqual({});
    expect(errors({ ...base, einvoice_format: "xrechnung_cii" })).toEqual({
      leitweg_id: "Für XRechnung bitte die Leitweg-ID oder eine Käuferreferenz angeben.",
      invoice_emails: "Für XRechnung bitte mindestens eine Rechnungs-E-Mail-Adresse angeben.",
    });
  });
});

describe("billing profile endpoints", () => {
  const database = useTestDatabase();
  const origin = { origin: "http://localhost:3000" };
  let staff: string;
  let support: string;
  let customer: string;
  let acmeId: number;

  beforeAll(async () => {
    staff = await loginAs("msp-admin@myit.center");
    support = await loginAs("support@myit.center");
    customer = await loginAs("admin@firma.de");
    const [row] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, "acme"));
    acmeId = row!.id;
  });

  const staffCall = (method: "GET" | "PUT", token: string, body?: unknown) =>
    call(method === "GET" ? staffGet : staffPut, method, `/api/manage/admin/instances/${acmeId}/billing-profile`, { token, body, params: { id: String(acmeId) }, headers: origin });

  it("staff set up a public-sector profile with a Leitweg-ID; wrong input gets German messages per field", async () => {
    const bad = await staffCall("PUT", staff, {
      legal_name: "Stadt Musterstadt",
      street: "Rathausplatz 1",
      post_code: "1234",
      city: "Musterstadt",
      country_code: "DE",
      vat_id: "DE1234",
      leitweg_id: "991-12345-67",
      einvoice_format: "xrechnung_cii",
      invoice_emails: ["rechnung@musterstadt.de"],
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors).toEqual({
      post_code: ["Die Postleitzahl passt nicht zu Deutschland (5 Ziffern, z. B. 70565)."],
      vat_id: ["Die USt-IdNr. hat nicht das Format für Deutschland (z. B. DE123456789)."],
      leitweg_id: ["Die Prüfziffer der Leitweg-ID stimmt nicht (erwartet 73)."],
    });
    const ok = await staffCall("PUT", staff, {
      legal_name: "Stadt Musterstadt",
      street: "Rathausplatz 1",
      post_code: "12345",
      city: "Musterstadt",
      country_code: "DE",
      vat_id: "DE123456789",
      leitweg_id: "991-12345-73",
      einvoice_format: "xrechnung_cii",
      invoice_emails: ["rechnung@musterstadt.de"],
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ message: "Rechnungsprofil gespeichert", complete: true, profile: { leitweg_id: "991-12345-73", einvoice_format: "xrechnung_cii" } });
    expect((await staffCall("GET", support)).json.profile.legal_name).toBe("Stadt Musterstadt");
    expect((await staffCall("PUT", support, {})).status).toBe(403);
    const [entry] = await database
      .db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.instanceId, acmeId), eq(activityLog.action, "billing.profile_updated")));
    expect(entry!.description).toBe("Rechnungsprofil geändert: Firmenname, Ansprechpartner, Straße, PLZ, Ort, USt-IdNr., Leitweg-ID, Kundennummer, Rechnungs-E-Mail, E-Rechnungsformat");
  });

  it("customer admins change address and invoice e-mails of their own instance, nothing else", async () => {
    const own = (method: "GET" | "PUT", token: string, body?: unknown) => call(method === "GET" ? ownGet : ownPut, method, "/api/manage/billing-profile", { token, body, headers: origin });
    const saved = await own("PUT", customer, {
      street: "Neue Straße 5",
      post_code: "70173",
      city: "Stuttgart",
      country_code: "DE",
      invoice_emails: ["Rechnung@Firma.de"],
      leitweg_id: "991-00000-00",
      legal_name: "Jemand anderes",
    });
    expect(saved.status).toBe(200);
    expect(saved.json.profile).toMatchObject({ street: "Neue Straße 5", invoice_emails: ["rechnung@firma.de"], leitweg_id: "991-12345-73", legal_name: "Stadt Musterstadt" });
    const wrong = await own("PUT", customer, { street: "X 1", post_code: "ABCDE", city: "Stuttgart", country_code: "DE" });
    expect(wrong.json.errors).toEqual({ post_code: ["Die Postleitzahl passt nicht zu Deutschland (5 Ziffern, z. B. 70565)."] });
    const logged = await database.db().select().from(activityLog).where(and(eq(activityLog.instanceId, acmeId), eq(activityLog.action, "billing.profile_updated")));
    expect(logged.map((l) => l.description)).toContain("Rechnungsprofil geändert (Kunde): Straße, PLZ, Ort, Rechnungs-E-Mail");
  });
});
