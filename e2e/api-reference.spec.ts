import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./fixtures";
import { login } from "./helpers";

/** Issue 14: the API reference page – German introduction, table of contents, search, a curl example per endpoint. */

// Large pages (every endpoint with its curl example) and a full axe run: more time than the default minute on a busy machine.
test.describe.configure({ timeout: 120_000 });

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("customer: table of contents jumps to a group, search filters, every endpoint has a curl example, no staff API", async ({ page }) => {
  await login(page, "admin@firma.de");
  await page.goto("/api-referenz");
  await expect(page.getByRole("heading", { name: "API-Referenz" })).toBeVisible();
  await expect(page.getByText("Es gibt zwei Schnittstellen")).toBeVisible();
  await expectAccessible(page);

  const toc = page.getByRole("navigation", { name: "Inhaltsverzeichnis" });
  await expect(toc.getByRole("link", { name: "v1 Anmeldung" })).toBeVisible();
  await expect(toc.getByRole("link", { name: /^Verwaltung:/ })).toHaveCount(0);
  await toc.getByRole("link", { name: "v1 Rechnungen" }).click();
  await expect(page).toHaveURL(/#api-v1-rechnungen$/);
  await expect(page.locator("#api-v1-rechnungen")).toBeInViewport();

  const operations = page.getByTestId("api-operation");
  const total = await operations.count();
  expect(total).toBeGreaterThan(20);
  await expect(page.getByText("Beispiel mit curl")).toHaveCount(total);

  const search = page.getByLabel("Schnittstellen durchsuchen");
  await search.fill("POST login");
  await expect(operations).toHaveCount(2);
  await expect(page.getByRole("status")).toHaveText("2 Schnittstellen");
  const v1Login = page.locator("#postV1AuthLogin"); // each endpoint is anchored by its operationId
  await v1Login.getByText("Beispiel mit curl").click();
  await expect(v1Login.locator("pre")).toContainText("curl -X POST");
  await expect(v1Login.locator("pre")).toContainText('"password":"demo-passwort"');
  await expect(v1Login.locator("pre")).not.toContainText("$TOKEN");

  await search.fill("gibt-es-nicht");
  await expect(operations).toHaveCount(0);
  await expect(page.getByText("Keine Schnittstelle passt zu „gibt-es-nicht“.")).toBeVisible();
  await search.fill("");
  await expect(operations).toHaveCount(total);
});

test("staff: the staff API is listed with its groups and a curl example with $TOKEN", async ({ page }) => {
  await login(page, "msp-admin@myit.center");
  await page.goto("/api-referenz");
  await expect(page.getByText("Als MSP-Mitarbeiter sehen Sie zusätzlich die Verwaltung")).toBeVisible();
  const toc = page.getByRole("navigation", { name: "Inhaltsverzeichnis" });
  await expect(toc.getByRole("link", { name: "Verwaltung: Instanzen" })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("Schnittstellen durchsuchen").fill("instanz sperren");
  const suspend = page.locator("#postManageAdminInstancesByIdSuspend");
  await expect(suspend).toBeVisible();
  await expect(page.getByTestId("api-operation")).toHaveCount(1);
  await suspend.getByText("Beispiel mit curl").click();
  await expect(suspend.locator("pre")).toContainText("/api/manage/admin/instances/1/suspend");
  await expect(suspend.locator("pre")).toContainText('Authorization: Bearer $TOKEN');
});
