/**
 * Rough edges of issue 14, at desktop and phone width:
 * - the overview names each address once (the standard domain only when a
 *   custom domain replaces it) and shows the server in words;
 * - a suspended customer's overview leads to what lifts the suspension
 *   (payment details, support), never into blocked sections;
 * - an internationalised domain is shown in Unicode with its Punycode form as
 *   a second line in the wizard, the domains page, the overview and the
 *   staff instance page; the wizard re-checks by itself and focuses its field;
 * - forms move the focus to the first invalid field and validate before the
 *   confirmation dialog; a loading block says so when the browser is offline.
 */
import { expect, test, type Page } from "./fixtures";
import { DEMO_PASSWORD, latestMail, logout } from "./helpers";
import { login } from "./ui-helpers";
import { addDnsRecords, removeDnsRecords, SCREENSHOTS, WIDTHS } from "./stack";

/** The test's internationalised domain: what the customer types, and what DNS and the database hold. */
const IDN_UNICODE = "portal.müller-kanzlei.de";
const IDN_ASCII = "portal.xn--mller-kanzlei-wob.de";

/** How often a text occurs in an element's rendered text. */
async function occurrences(page: Page, testId: string, text: string): Promise<number> {
  const rendered = await page.getByTestId(testId).innerText();
  return rendered.split(text).length - 1;
}

async function openMenuIfPhone(page: Page, width: number) {
  if (width < 640) await page.getByRole("button", { name: "Menü" }).click();
}

for (const size of WIDTHS) {
  test(`overview without duplicated addresses, server in words (${size.width} px)`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await login(page, "admin@firma.de");
    await expect(page.getByRole("heading", { name: "Acme Corp", level: 1 })).toBeVisible();

    const domains = page.getByTestId("overview-domains");
    await expect(domains.getByTestId("overview-portal")).toHaveText("acme.portal.myit.center");
    await expect(domains.getByTestId("overview-portal")).toHaveAttribute("href", "https://acme.portal.myit.center");
    await expect(domains.getByTestId("overview-portal-note")).toHaveText("Standard-Domain · keine eigene Domain eingerichtet");
    // The remote-access address: the custom one if another spec left one set, then the standard domain as the alternative.
    const status = (await (await page.request.get("/api/manage/status")).json()) as { domains: { custom_meshcentral_domain: string | null } };
    const customMesh = status.domains.custom_meshcentral_domain;
    await expect(domains.getByTestId("overview-meshcentral")).toHaveText(customMesh ?? "acme.remote.myit.center");
    await expect(domains.getByTestId("overview-meshcentral-note")).toHaveText(
      customMesh ? "Eigene Domain · auch unter acme.remote.myit.center" : "Standard-Domain · keine eigene Domain eingerichtet",
    );
    // Each address once: before, the standard domain was listed again next to the identical portal address.
    expect(await occurrences(page, "overview-domains", "acme.portal.myit.center")).toBe(1);
    expect(await occurrences(page, "overview-domains", "acme.remote.myit.center")).toBe(1);

    // The server as the server page names it: resources and the place, not "cx22" / "nbg1-dc3".
    await expect(page.getByText("CX22 · 2 vCPU · 4 GB RAM · 40 GB SSD")).toBeVisible();
    await expect(page.getByText("Nürnberg (Deutschland)")).toBeVisible();

    // The links of the cards lead to working pages.
    await page.getByRole("link", { name: "Domains verwalten" }).click();
    await expect(page.getByRole("heading", { name: "Domains", level: 1 })).toBeVisible();
    await page.goBack();
    await page.getByRole("link", { name: "Server steuern" }).click();
    await expect(page).toHaveURL(/\/server$/);
    await expect(page.getByTestId("server-type")).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
  });
}

test.describe("a suspended customer's overview", () => {
  // Suspended here by staff (the seed's suspended instance is paid and reactivated by the money-loop spec).
  test.beforeAll(async ({ browser }) => {
    const page = await browser.newPage();
    await login(page, "msp-admin@myit.center");
    await page.goto("/verwaltung");
    await page.getByRole("link", { name: "Bergmann Logistik GmbH" }).click();
    const card = page.locator("section").filter({ has: page.getByRole("heading", { name: "Instanz sperren" }) });

    // The form validates before the confirmation dialog, and the focus lands on the invalid field.
    await card.getByRole("button", { name: "Sperren" }).click();
    const reason = card.getByLabel("Grund der Sperre");
    await expect(card.getByText("Bitte einen Grund für die Sperre angeben (mindestens 3 Zeichen).")).toBeVisible();
    await expect(reason).toBeFocused();
    await expect(page.getByRole("dialog")).toHaveCount(0);

    await reason.fill("Test der Sperransicht");
    await card.getByRole("button", { name: "Sperren" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Jetzt sperren" }).click();
    await expect(page.getByTestId("admin-instance-status")).toHaveText("Gesperrt");
    await page.close();
  });

  test.afterAll(async ({ browser }) => {
    const page = await browser.newPage();
    await login(page, "msp-admin@myit.center");
    await page.goto("/verwaltung");
    await page.getByRole("link", { name: "Bergmann Logistik GmbH" }).click();
    await page.getByRole("button", { name: "Reaktivieren" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Jetzt reaktivieren" }).click();
    await expect(page.getByTestId("admin-instance-status")).not.toHaveText("Gesperrt");
    await page.close();
  });

  for (const size of WIDTHS) {
    test(`links lead to payment and support, not into blocked sections (${size.width} px)`, async ({ page }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await login(page, "it@bergmann-logistik.de");
      await expect(page.getByTestId("instance-status")).toHaveText("Gesperrt");
      const main = page.getByRole("main");

      // No link of the overview opens a section that only says "Bereich nicht verfügbar".
      await expect(main.getByRole("link", { name: "Server steuern" })).toHaveCount(0);
      await expect(main.getByRole("link", { name: "Domains verwalten" })).toHaveCount(0);
      await expect(main.locator('a[href^="/server"], a[href^="/domains"], a[href^="/rechnungen"], a[href^="/aktivitaet"]')).toHaveCount(0);
      await expect(main.getByText("Während der Sperre nicht steuerbar")).toBeVisible();
      await expect(page.getByTestId("overview-domains").getByRole("link")).toHaveCount(0);
      await page.screenshot({ path: `${SCREENSHOTS}/gesperrt-uebersicht-links-${size.width}.png`, fullPage: true });

      // Instead: what lifts the suspension.
      const steps = page.getByTestId("suspended-next-steps");
      const support = steps.getByRole("link", { name: /Support kontaktieren/ });
      await expect(support).toHaveAttribute("href", /^mailto:support@myit\.center\?subject=Sperre%20der%20Instanz%20bergmann$/);
      const pay = steps.getByRole("link", { name: /Offene Rechnungen bezahlen \(\d{1,3}(\.\d{3})*,\d{2}\s€\)/ });
      await pay.click();
      await expect(page).toHaveURL(/#payment-due-title$/);
      await expect(page.getByTestId("payment-due").getByRole("heading", { name: "Offene Rechnungen bezahlen" })).toBeInViewport();
      await expect(page.getByTestId("payment-due").getByTestId("amount-due")).toBeVisible();

      // A blocked section from the menu shows the same payment details.
      await openMenuIfPhone(page, size.width);
      await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: /^Rechnungen/ }).click();
      await expect(page.getByRole("heading", { name: "Bereich nicht verfügbar" })).toBeVisible();
      await expect(page.getByTestId("payment-due")).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(overflow).toBe(false);
    });
  }
});

test.describe("an internationalised custom domain", () => {
  test.afterAll(async ({ browser }) => {
    // Leave acme without a custom domain for the other specs.
    const page = await browser.newPage();
    await login(page, "admin@firma.de");
    await page.goto("/domains");
    const portal = page.getByTestId("domain-card-portal");
    if ((await portal.getByRole("button", { name: "Domain entfernen" }).count()) > 0) {
      await portal.getByRole("button", { name: "Domain entfernen" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Domain entfernen" }).click();
      await expect(portal.getByTestId("custom-domain-portal")).toHaveText("nicht eingerichtet");
    }
    removeDnsRecords(IDN_ASCII);
    await page.close();
  });

  test("is shown in Unicode with its Punycode form in the wizard, the domains page, the overview and the staff page", async ({ page, browser }) => {
    test.setTimeout(120_000);
    removeDnsRecords(IDN_ASCII);
    await login(page, "admin@firma.de");
    await page.goto("/domains");
    const portal = page.getByTestId("domain-card-portal");
    await portal.getByRole("button", { name: "Eigene Domain einrichten" }).click();
    const wizard = page.getByTestId("wizard-portal");
    const input = wizard.getByLabel("Ihre Domain für Portal");
    await expect(input).toBeFocused();
    await input.fill(IDN_UNICODE);
    await wizard.getByRole("button", { name: "Weiter" }).click();

    // The record for the DNS provider: Unicode to read, Punycode to copy.
    await expect(wizard.getByTestId("record-host")).toHaveText(IDN_ASCII);
    await expect(wizard.getByTestId("dns-record")).toContainText(IDN_UNICODE);
    await expect(wizard.getByTestId("punycode-hint")).toContainText(IDN_ASCII);

    // The record appears at the provider; the wizard notices by itself (no click on "Erneut prüfen").
    await expect(wizard.getByTestId("auto-check")).toBeVisible();
    addDnsRecords([{ name: IDN_ASCII, type: "CNAME", value: "acme.portal.myit.center" }]);
    await expect(wizard.getByRole("button", { name: "Speichern und anwenden" })).toBeVisible({ timeout: 25_000 });
    await wizard.getByRole("button", { name: "Speichern und anwenden" }).click();
    const result = page.getByTestId("wizard-result");
    await expect(result.getByRole("link", { name: `https://${IDN_UNICODE}` })).toHaveAttribute("href", `https://${IDN_ASCII}`);
    await expect(result).toContainText(`Punycode: ${IDN_ASCII}`);
    await result.getByRole("button", { name: "Schließen" }).click();

    // Domains page.
    await expect(portal.getByTestId("custom-domain-portal")).toHaveText(IDN_UNICODE);
    await expect(portal.getByTestId("custom-domain-portal-punycode")).toHaveText(`Punycode: ${IDN_ASCII}`);
    await expect(portal.getByTestId("active-url-portal")).toHaveText(`https://${IDN_UNICODE}`);
    await expect(portal.getByTestId("active-url-portal")).toHaveAttribute("href", `https://${IDN_ASCII}`);
    await page.screenshot({ path: `${SCREENSHOTS}/kunde-domains-idn-1440.png`, fullPage: true });

    // Overview, at both widths: the custom domain in Unicode over its Punycode form, the standard domain once as the alternative.
    for (const size of WIDTHS) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto("/");
      const domains = page.getByTestId("overview-domains");
      await expect(domains.getByTestId("overview-portal")).toHaveText(IDN_UNICODE);
      await expect(domains.getByTestId("overview-portal")).toHaveAttribute("href", `https://${IDN_ASCII}`);
      await expect(domains.getByTestId("overview-portal-punycode")).toHaveText(`Punycode: ${IDN_ASCII}`);
      await expect(domains.getByTestId("overview-portal-note")).toHaveText("Eigene Domain · auch unter acme.portal.myit.center");
      expect(await occurrences(page, "overview-domains", IDN_UNICODE)).toBe(1);
      await page.screenshot({ path: `${SCREENSHOTS}/kunde-uebersicht-idn-${size.width}.png`, fullPage: true });
      expect(await occurrences(page, "overview-domains", "acme.portal.myit.center")).toBe(1);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(overflow, `no horizontal scrolling at ${size.width} px`).toBe(false);
    }
    await logout(page);

    // Staff instance page.
    const staff = await browser.newPage();
    await login(staff, "msp-admin@myit.center");
    await staff.goto("/verwaltung");
    await staff.getByRole("link", { name: "Acme Corp" }).click();
    await expect(staff.getByTestId("admin-custom-domain-portal")).toHaveText(IDN_UNICODE);
    await expect(staff.getByTestId("admin-custom-domain-portal-punycode")).toHaveText(`Punycode: ${IDN_ASCII}`);
    await staff.close();
  });
});

test("a failed submit moves the focus to the first invalid field (server-side errors too)", async ({ page }) => {
  await login(page, "msp-admin@myit.center");
  await page.goto("/verwaltung/neu");
  await expect(page.getByRole("heading", { name: "Neue Instanz anlegen", level: 1 })).toBeVisible();
  // Only the company is filled in: the server answers 422 for the instance name, which gets the focus.
  await page.getByLabel("Firma", { exact: true }).fill("Fokus Test GmbH");
  await page.getByRole("button", { name: /Instanz anlegen/ }).click();
  const name = page.getByLabel("Instanzname");
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toBeFocused();
});

test("a loading block says so when the browser is offline, instead of pulsing forever", async ({ page, context }) => {
  await login(page, "admin@firma.de");
  // The status request never answers, so the overview stays in its loading state.
  await page.route("**/api/manage/status", () => {});
  await page.goto("/");
  await expect(page.locator('[role="status"].animate-pulse').first()).toBeVisible();
  await context.setOffline(true);
  await expect(page.getByTestId("offline-notice").first()).toContainText("Keine Internetverbindung");
  await context.setOffline(false);
  await expect(page.getByTestId("offline-notice")).toHaveCount(0);
  await page.unrouteAll({ behavior: "ignoreErrors" });
});

test("a used reset link says so when it is opened, before any form is filled in", async ({ page, request }) => {
  await page.goto("/passwort-vergessen");
  await page.getByLabel("E-Mail-Adresse").fill("it@bergmann-logistik.de");
  await page.getByRole("button", { name: "Link anfordern" }).click();
  await expect(page.getByText(/Falls ein Konto mit dieser E-Mail-Adresse existiert/)).toBeVisible();
  const mail = await latestMail(request, "it@bergmann-logistik.de");
  const link = new URL(/https?:\/\/\S+/.exec(mail.text)![0]);

  // Used once (the demo password again, so later specs still sign in with it) …
  await page.goto(link.pathname + link.search);
  await page.getByLabel("Neues Passwort", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByLabel("Neues Passwort wiederholen").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Passwort speichern" }).click();
  await expect(page.getByText("Ihr Passwort wurde geändert.")).toBeVisible();

  // … and opened again: the page says so at once and offers no form to fill in.
  await page.goto(link.pathname + link.search);
  await expect(page.getByText("Dieser Link wurde bereits verwendet. Fordern Sie bei Bedarf einen neuen an.")).toBeVisible();
  await expect(page.getByLabel("Neues Passwort", { exact: true })).toHaveCount(0);
});
