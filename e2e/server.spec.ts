import { expect, test } from "./fixtures";
import { login } from "./helpers";

test("customer reboots the server, powers it off and on again; the 4th action within a minute is refused", async ({ page }) => {
  await login(page, "admin@firma.de");
  await page.getByRole("link", { name: "Server steuern" }).click();
  await expect(page.getByRole("heading", { name: "Server", exact: true })).toBeVisible();
  const status = page.getByTestId("server-status");
  await expect(status).toHaveText("Online");
  await expect(page.getByText("49.12.34.56")).toBeVisible();

  // Reboot: confirmation names the consequence, progress shows, status returns to online.
  await page.getByRole("button", { name: "Neustarten" }).click();
  const dialog = page.getByRole("dialog", { name: "Server neu starten?" });
  await expect(dialog).toContainText("nicht erreichbar");
  await dialog.getByRole("button", { name: "Jetzt neu starten" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Server Neustart wurde ausgelöst." })).toBeVisible();
  await expect(page.getByRole("progressbar", { name: /Neustart/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Herunterfahren" })).toBeDisabled();
  await expect(page.getByTestId("last-action")).toContainText("Neustart – erfolgreich");
  await expect(status).toHaveText("Online");
  await expect(page.getByRole("progressbar")).toHaveCount(0);

  // Power off (confirmed), then power on.
  await page.getByRole("button", { name: "Herunterfahren" }).click();
  const offDialog = page.getByRole("dialog", { name: "Server herunterfahren?" });
  await expect(offDialog).toContainText("bis Sie den Server wieder einschalten");
  await offDialog.getByRole("button", { name: "Herunterfahren" }).click();
  await expect(page.getByRole("progressbar")).toBeVisible();
  await expect(status).toHaveText("Ausgeschaltet");
  await expect(page.getByTestId("last-action")).toContainText("Herunterfahren – erfolgreich");

  await page.getByRole("button", { name: "Einschalten" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Server wird eingeschaltet." })).toBeVisible();
  await expect(status).toHaveText("Online");
  await expect(page.getByTestId("last-action")).toContainText("Einschalten – erfolgreich");

  // Three actions per minute: the fourth is refused with the wait time.
  await page.getByRole("button", { name: "Status aktualisieren" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /Zu viele Anfragen\. Bitte in \d+ Sekunden erneut versuchen\./ })).toBeVisible();

  // The activity log names who did it and the outcome.
  await page.getByRole("link", { name: "Aktivität" }).click();
  await expect(page.getByText("Einschalten des Servers abgeschlossen (erfolgreich)")).toBeVisible();
});
