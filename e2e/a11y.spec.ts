import AxeBuilder from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import { expect, test, type Page } from "./fixtures";
import { login } from "./ui-helpers";
import { SCREENSHOTS, WIDTHS } from "./stack";

/**
 * Accessibility of every main page, per role, at desktop and phone width:
 * axe-core (WCAG 2.1 A/AA rules) reports no violation, each page has exactly
 * one <h1>, one <main> and a skip link. Every visited page is also saved as a
 * screenshot into .data/test-reports/screenshots/ for review.
 */
mkdirSync(SCREENSHOTS, { recursive: true });

const ROLES: { role: string; email: string | null; pages: { path: string; name: string }[] }[] = [
  { role: "gast", email: null, pages: [{ path: "/login", name: "anmeldung" }, { path: "/passwort-vergessen", name: "passwort-vergessen" }] },
  {
    role: "kunde",
    email: "admin@firma.de",
    pages: [
      { path: "/", name: "uebersicht" },
      { path: "/server", name: "server" },
      { path: "/domains", name: "domains" },
      { path: "/rechnungen", name: "rechnungen" },
      { path: "/aktivitaet", name: "aktivitaet" },
      { path: "/api-referenz", name: "api-referenz" },
    ],
  },
  {
    role: "gesperrt",
    email: "info@nordlicht-design.de",
    pages: [
      { path: "/", name: "uebersicht" },
      { path: "/server", name: "server-gesperrt" },
    ],
  },
  {
    role: "mitarbeiter",
    email: "msp-admin@myit.center",
    pages: [
      { path: "/", name: "msp-uebersicht" },
      { path: "/verwaltung", name: "instanzen" },
      { path: "/verwaltung/neu", name: "neue-instanz" },
      { path: "/verwaltung/rechnungen", name: "rechnungsstellung" },
      { path: "/verwaltung/zahlungen", name: "zahlungseingaenge" },
      { path: "/verwaltung/abrechnung", name: "abrechnung" },
      { path: "/verwaltung/benutzer", name: "mitarbeiter" },
      { path: "/verwaltung/tarife", name: "tarife" },
    ],
  },
  {
    role: "support",
    email: "support@myit.center",
    pages: [{ path: "/verwaltung", name: "instanzen" }],
  },
];

async function settle(page: Page) {
  await expect(page.locator("h1").first()).toBeVisible();
  // Loading skeletons are role=status with an sr-only label ending in "…"; wait until they are gone.
  await expect(page.locator('[role="status"].animate-pulse')).toHaveCount(0);
}

async function checkPage(page: Page, file: string) {
  await settle(page);
  await expect(page.locator("h1")).toHaveCount(1);
  expect(await page.locator("main").count()).toBeLessThanOrEqual(1);
  expect(await page.locator("main main").count()).toBe(0);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}/${file}.png`, fullPage: true });
}

for (const size of WIDTHS) {
  for (const { role, email, pages } of ROLES) {
    test(`a11y + screenshots: ${role} at ${size.width} px`, async ({ page }) => {
      // One test walks every page of the role (axe and a full-page screenshot each): the budget grows with the pages.
      test.setTimeout(60_000 + pages.length * 15_000);
      await page.setViewportSize({ width: size.width, height: size.height });
      if (email) await login(page, email);
      for (const p of pages) {
        await page.goto(p.path);
        await checkPage(page, `${role}-${p.name}-${size.width}`);
      }
      if (email === "admin@firma.de") {
        // Detail pages reached by clicking, as users do.
        await page.goto("/rechnungen");
        await page.getByTestId("invoice-row").first().getByRole("link").first().click();
        await checkPage(page, `${role}-rechnung-${size.width}`);
      }
      if (email === "msp-admin@myit.center") {
        await page.goto("/verwaltung");
        await page.getByRole("link", { name: "Acme Corp" }).click();
        await checkPage(page, `${role}-instanz-${size.width}`);
      }
    });
  }
}

test("skip link moves the focus to the content", async ({ page }) => {
  await login(page, "admin@firma.de");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Zum Inhalt springen" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#inhalt")).toBeFocused();
});

test("favicon is served", async ({ request }) => {
  const res = await request.get("/icon.svg");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("image/svg");
});
