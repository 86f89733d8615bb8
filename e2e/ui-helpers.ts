import { expect, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "./helpers";

/** Password sign-in that tolerates further sign-in buttons on the page (e.g. passkey). */
export async function login(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("E-Mail-Adresse").fill(email);
  await page.getByLabel("Passwort", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Anmelden", exact: true }).click();
  await expect(page.getByRole("button", { name: "Abmelden" })).toBeVisible();
}
