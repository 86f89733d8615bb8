import { expect, test, type Page } from "./fixtures";
import { login } from "./ui-helpers";

/**
 * Each role's main flows at desktop and phone width: the UI offers only what
 * the role may do (support sees no "Mitarbeiter", no "Neue Instanz", no user
 * management), staff control a customer's server from the instance page and
 * the customer's log marks it as done by the MSP, and the read-only customer
 * view shows every action disabled with the reason.
 */
const WIDTHS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

const SUPPORT = "support@myit.center";
const SUPER_ADMIN = "msp-admin@myit.center";

async function navLinks(page: Page): Promise<string[]> {
  const menu = page.getByRole("button", { name: "Menü" });
  if (await menu.isVisible()) await menu.click();
  const nav = page.getByRole("navigation", { name: "Hauptnavigation" });
  await expect(nav.getByRole("link").first()).toBeVisible();
  return (await nav.getByRole("link").allTextContents()).map((t) => t.trim());
}

async function openInstance(page: Page, company: string) {
  await page.goto("/verwaltung");
  await page.getByLabel("Suche").fill(company);
  await page.getByRole("link", { name: company }).click();
  await expect(page.getByRole("heading", { name: company, level: 1 })).toBeVisible();
}

for (const size of WIDTHS) {
  test.describe(`${size.name} (${size.width} px)`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test("support role: menus and buttons offer only what the role may do", async ({ page }) => {
      await login(page, SUPPORT);
      const links = await navLinks(page);
      expect(links).toEqual(expect.arrayContaining(["Übersicht", "Instanzen", "Rechnungsstellung", "Tarife", "Konto"]));
      expect(links).not.toContain("Mitarbeiter");

      await page.goto("/verwaltung");
      await expect(page.getByRole("heading", { name: "Instanzen", level: 1 })).toBeVisible();
      await expect(page.getByTestId("instance-row").first()).toBeVisible();
      await expect(page.getByRole("link", { name: "Neue Instanz" })).toHaveCount(0);
      // Support may power servers but not suspend instances: the bulk bar offers exactly that.
      const bulk = page.getByTestId("bulk-bar");
      await expect(bulk.getByRole("button", { name: "Neu starten" })).toBeDisabled();
      await expect(bulk.getByRole("button", { name: "Sperren" })).toHaveCount(0);

      await openInstance(page, "Acme Corp");
      await expect(page.getByRole("heading", { name: "Bearbeiten" })).toHaveCount(0);
      await expect(page.getByRole("heading", { name: "Instanz sperren" })).toHaveCount(0);
      await expect(page.getByTestId("users-denied")).toContainText("Ihnen fehlt die Berechtigung");
      await expect(page.getByTestId("user-row").first()).toBeVisible();
      await expect(page.getByRole("button", { name: "Deaktivieren" })).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Einladung senden" })).toHaveCount(0);
      await expect(page.getByTestId("staff-server-control").getByTestId("server-type")).toHaveText("CX22 · 2 vCPU · 4 GB RAM · 40 GB SSD");
      await expect(page.getByTestId("staff-server-control").getByTestId("server-location")).toHaveText("Nürnberg (Deutschland)");

      // A staff page the role may not use is the 403 page, not a page with failing buttons.
      const denied = await page.goto("/verwaltung/benutzer");
      expect(denied?.status()).toBe(403);
    });

    test("customer admin: customer navigation only, no staff or API items", async ({ page }) => {
      await login(page, "it@bergmann-logistik.de");
      const links = await navLinks(page);
      expect(links).toEqual(["Übersicht", "Server", "Domains", "Rechnungen", "Aktivität", "Konto"]);
      await page.goto("/server");
      await expect(page.getByTestId("server-location")).toHaveText("Falkenstein (Deutschland)");
      await expect(page.getByTestId("server-type")).toContainText("3 vCPU");
      // The server is off: "Neustarten" is disabled and says why.
      await expect(page.getByRole("button", { name: "Neustarten" })).toBeDisabled();
      await expect(page.getByRole("button", { name: "Neustarten" })).toHaveAttribute("title", "Der Server ist ausgeschaltet.");
    });
  });
}

test("staff power on a customer's server from the instance page; the customer's log says MSP", async ({ browser }) => {
  const staffContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const staff = await staffContext.newPage();
  await login(staff, SUPPORT);
  await openInstance(staff, "Bergmann Logistik GmbH");
  const control = staff.getByTestId("staff-server-control");
  await expect(control.getByTestId("server-status")).toHaveText("Ausgeschaltet");
  await control.getByRole("button", { name: "Einschalten" }).click();
  await expect(staff.getByRole("status").filter({ hasText: "Server wird eingeschaltet." })).toBeVisible();
  await expect(control.getByTestId("server-status")).toHaveText("Online");
  await expect(control.getByTestId("last-action")).toContainText("Einschalten – erfolgreich");
  await expect(control.getByTestId("last-action")).toContainText("Lukas Wagner");

  // The same confirmation as the customer's, naming whom the staff member acts for.
  await control.getByRole("button", { name: "Neustarten" }).click();
  const dialog = staff.getByRole("dialog", { name: "Server neu starten?" });
  await expect(dialog).toContainText("Sie handeln für Bergmann Logistik GmbH");
  await dialog.getByRole("button", { name: "Abbrechen" }).click();
  await staffContext.close();

  const customerContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const customer = await customerContext.newPage();
  await login(customer, "it@bergmann-logistik.de");
  await customer.goto("/aktivitaet");
  const entry = customer.getByTestId("activity-entry").filter({ hasText: "Einschalten des Servers" }).first();
  await expect(entry).toContainText("MSP (Lukas Wagner)");
  // No internal action codes for customers.
  await expect(customer.getByText("server.power_on")).toHaveCount(0);
  await customerContext.close();
});

test("staff bulk action: one confirmation for the selected instances, outcome per instance", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await login(page, SUPER_ADMIN);
  await page.goto("/verwaltung");
  await page.getByLabel("Suche").fill("Nordlicht");
  await expect(page.getByTestId("instance-row")).toHaveCount(1);
  await page.getByLabel("Nordlicht Design UG auswählen").check();
  await expect(page.getByTestId("bulk-bar")).toContainText("1 Instanz ausgewählt");
  await page.getByTestId("bulk-bar").getByRole("button", { name: "Status abfragen" }).click();
  const dialog = page.getByRole("dialog", { name: "Status abfragen: 1 Instanz?" });
  await expect(dialog).toContainText("Nordlicht Design UG");
  await dialog.getByRole("button", { name: "Status abfragen" }).click();
  await expect(page.getByRole("status").filter({ hasText: "1 von 1 Instanz erfolgreich." })).toBeVisible();
  await expect(page.getByTestId("bulk-bar")).toContainText("Keine Instanz ausgewählt");

  // Suspending needs a reason inside the one confirmation.
  await page.getByLabel("Nordlicht Design UG auswählen").check();
  await page.getByTestId("bulk-bar").getByRole("button", { name: "Sperren" }).click();
  const suspend = page.getByRole("dialog", { name: "Sperren: 1 Instanz?" });
  await expect(suspend.getByRole("button", { name: "Jetzt sperren" })).toBeDisabled();
  await suspend.getByRole("button", { name: "Abbrechen" }).click();
});

test("read-only customer view: every action visibly disabled, no staff account area", async ({ page }) => {
  await login(page, SUPER_ADMIN);
  await openInstance(page, "Acme Corp");
  await page.getByRole("button", { name: "Ansicht als Kunde" }).click();
  await expect(page.getByTestId("impersonation-banner")).toBeVisible();
  const links = await navLinks(page);
  expect(links).not.toContain("Konto");
  expect(links).not.toContain("API");
  expect(links).not.toContain("Instanzen");

  await page.goto("/server");
  for (const name of ["Neustarten", "Herunterfahren", "Status aktualisieren"]) {
    await expect(page.getByRole("button", { name })).toBeDisabled();
  }
  await expect(page.getByTestId("server-lock-reason")).toContainText("Nur Ansicht");

  await page.goto("/domains");
  await expect(page.getByRole("button", { name: "Eigene Domain einrichten" }).first()).toBeDisabled();
  await expect(page.getByRole("button", { name: "Eigene Domain einrichten" }).first()).toHaveAttribute("title", /Nur Ansicht/);

  await page.getByRole("button", { name: "Kundenansicht beenden" }).click();
  await expect(page.getByTestId("impersonation-banner")).toHaveCount(0);
});
