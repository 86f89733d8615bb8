import AxeBuilder from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import { expect, test, type Page } from "./fixtures";
import { login } from "./ui-helpers";
import { SCREENSHOTS, WIDTHS } from "./stack";

/**
 * The server page shows what the server does: metric charts (each with its
 * text alternative), 90 days of uptime, backups and snapshots — for the
 * customer on /server and for staff on the instance page, at 1440 and 390 px,
 * without axe violations. Screenshots go to the test reports folder.
 */
mkdirSync(SCREENSHOTS, { recursive: true });

async function checkServerSections(page: Page, file: string) {
  const metrics = page.getByTestId("server-metrics");
  await expect(metrics).toBeVisible();
  for (const chart of ["cpu", "disk_iops", "disk_bandwidth", "network_pps", "network_bandwidth"]) {
    const figure = page.getByTestId(`metric-chart-${chart}`);
    await expect(figure.locator("canvas")).toHaveCount(1);
    await expect(figure.getByRole("table")).toContainText("Spitze");
  }
  await expect(page.getByTestId("uptime-portal").getByRole("img")).toHaveAttribute("aria-label", /erreichbar in den letzten 90 Tagen/);
  await expect(page.getByTestId("server-backups")).toContainText("Snapshots");
  await expect(page.locator('[role="status"].animate-pulse')).toHaveCount(0);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  // Nothing wider than the phone's screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
  await page.screenshot({ path: `${SCREENSHOTS}/${file}.png`, fullPage: true });
}

for (const size of WIDTHS) {
  test(`server page with charts, uptime and backups: customer at ${size.width} px`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await login(page, "admin@firma.de");
    await page.goto("/server");
    await expect(page.getByTestId("backups-state")).toHaveText("An");
    await checkServerSections(page, `hetzner-kunde-server-${size.width}`);
  });

  test(`server sections on the instance page: staff at ${size.width} px`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await login(page, "msp-admin@myit.center");
    await page.goto("/verwaltung");
    await page.getByRole("link", { name: "Acme Corp" }).click();
    await expect(page.getByRole("button", { name: "Wiederherstellen" }).first()).toBeVisible();
    await checkServerSections(page, `hetzner-mitarbeiter-instanz-${size.width}`);
  });
}

test("a customer takes a snapshot; the range of the charts can be switched", async ({ page }) => {
  await login(page, "admin@firma.de");
  await page.goto("/server");
  await page.getByRole("button", { name: "7 Tage" }).click();
  await expect(page.getByRole("button", { name: "7 Tage" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("metric-chart-cpu").getByRole("table")).toContainText("%");
  await page.getByLabel("Beschreibung des Snapshots").fill("Vor dem Test");
  await page.getByRole("button", { name: "Snapshot erstellen" }).click();
  await expect(page.getByTestId("server-backups")).toContainText("Vor dem Test");
});
