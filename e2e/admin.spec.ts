import { expect, test, type Browser, type Page } from "./fixtures";
import { latestMail, login } from "./helpers";

const STAFF = "msp-admin@myit.center";
const INVITEE = "chefin@e2e-kunde.de";
const INVITEE_PASSWORD = "e2e-einladung-1";

async function staffPage(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, STAFF);
  return page;
}

async function openInstance(page: Page, company: string) {
  await page.goto("/verwaltung");
  await page.getByLabel("Suche").fill(company);
  await page.getByRole("link", { name: company }).click();
  await expect(page.getByRole("heading", { name: company, level: 1 })).toBeVisible();
}

test("staff creates an instance, invites its admin, suspends and reactivates it; the customer sees the effect at once", async ({ browser, request }) => {
  // Staff: create the instance.
  const staff = await staffPage(browser);
  await expect(staff.getByRole("heading", { name: "MSP-Übersicht" })).toBeVisible();
  await staff.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Instanzen" }).click();
  // The three base customers and one in each of the four dunning stages (seed option dunningStages).
  await expect(staff.getByTestId("instance-row")).toHaveCount(7);
  await staff.getByRole("link", { name: "Neue Instanz" }).click();
  await staff.getByLabel("Instanzname").fill("acme");
  await staff.getByLabel("Firma").fill("Doppelt GmbH");
  await staff.getByRole("button", { name: "Instanz anlegen" }).click();
  await expect(staff.getByText("Dieser Instanzname ist bereits vergeben.")).toBeVisible();
  await staff.getByLabel("Instanzname").fill("e2e-kunde");
  await staff.getByLabel("Firma").fill("E2E Kunde GmbH");
  await expect(staff.getByTestId("default-domains")).toHaveText("e2e-kunde.portal.myit.center · e2e-kunde.remote.myit.center");
  await staff.getByRole("button", { name: "Instanz anlegen" }).click();
  await expect(staff.getByRole("heading", { name: "E2E Kunde GmbH", level: 1 })).toBeVisible();
  await expect(staff.getByTestId("admin-instance-status")).toHaveText("Wird eingerichtet");

  // Staff: invite the customer's admin.
  await staff.getByLabel("E-Mail-Adresse des Eingeladenen").fill(INVITEE);
  await staff.getByLabel("Name des Eingeladenen").fill("Eva Chefin");
  await staff.getByRole("button", { name: "Einladung senden" }).click();
  await expect(staff.getByTestId("user-row").filter({ hasText: INVITEE })).toContainText("Eingeladen");
  // The entry names the change; the actor column names who did it.
  const invited = staff.getByTestId("admin-activity").locator("li").filter({ hasText: `${INVITEE} eingeladen` });
  await expect(invited).toContainText("Sabine Krüger");

  // The invitee sets a password through the mailed link and logs in.
  const mail = await latestMail(request, INVITEE);
  expect(mail.subject).toBe("Einladung zum Manage-Portal");
  const link = new URL(/https?:\/\/\S+/.exec(mail.text)![0]);
  const customerContext = await browser.newContext();
  const customer = await customerContext.newPage();
  await customer.goto(link.pathname + link.search);
  await expect(customer.getByRole("heading", { name: "Einladung annehmen" })).toBeVisible();
  await customer.getByLabel("Neues Passwort", { exact: true }).fill(INVITEE_PASSWORD);
  await customer.getByLabel("Neues Passwort wiederholen").fill(INVITEE_PASSWORD);
  await customer.getByRole("button", { name: "Passwort festlegen und Einladung annehmen" }).click();
  // Accepting the invitation activates the account and signs the invitee in.
  await expect(customer.getByRole("button", { name: "Abmelden" })).toBeVisible();
  await expect(customer.getByRole("heading", { name: "E2E Kunde GmbH" })).toBeVisible();
  await customer.getByRole("link", { name: "Aktivität" }).click();
  await expect(customer.getByRole("heading", { name: "Aktivität" })).toBeVisible();

  // A customer opening a staff URL gets the German 403 page.
  const denied = await customer.goto("/verwaltung");
  expect(denied?.status()).toBe(403);
  await expect(customer.getByRole("heading", { name: "Kein Zugriff" })).toBeVisible();
  expect((await customer.request.get("/api/manage/admin/instances")).status()).toBe(403);

  // Staff suspends the instance (with confirmation).
  await staff.reload();
  await staff.getByLabel("Grund der Sperre").fill("E2E: Zahlung offen");
  await staff.getByRole("button", { name: "Sperren", exact: true }).click();
  await staff.getByRole("dialog").getByRole("button", { name: "Jetzt sperren" }).click();
  await expect(staff.getByTestId("admin-instance-status")).toHaveText("Gesperrt");

  // The customer's existing session is limited at once.
  await customer.goto("/");
  await expect(customer.getByText("Ihre Instanz ist gesperrt.")).toBeVisible();
  await expect(customer.getByText(/E2E: Zahlung offen/).first()).toBeVisible();
  await customer.goto("/aktivitaet");
  await expect(customer.getByRole("heading", { name: "Bereich nicht verfügbar" })).toBeVisible();
  expect((await customer.request.get("/api/manage/activity-log")).status()).toBe(403);
  expect((await customer.request.get("/api/manage/status")).status()).toBe(200);

  // Staff reactivates; the customer is back at once.
  await staff.getByRole("button", { name: "Reaktivieren", exact: true }).click();
  await staff.getByRole("dialog").getByRole("button", { name: "Jetzt reaktivieren" }).click();
  await expect(staff.getByTestId("admin-instance-status")).toHaveText("Wird eingerichtet");
  const reactivated = staff.getByTestId("admin-activity").locator("li").filter({ hasText: "Sperre aufgehoben" }).first();
  await expect(reactivated).toContainText("Sabine Krüger");
  await customer.goto("/aktivitaet");
  await expect(customer.getByRole("heading", { name: "Aktivität" })).toBeVisible();
  await expect(customer.getByText("Ihre Instanz ist gesperrt.")).toHaveCount(0);
  await customerContext.close();
  await staff.context().close();
});

test("staff opens the read-only customer view, clearly marked, and leaves it", async ({ browser }) => {
  const staff = await staffPage(browser);
  await openInstance(staff, "Bergmann Logistik GmbH");
  await staff.getByRole("button", { name: "Ansicht als Kunde" }).click();
  await expect(staff.getByTestId("impersonation-banner")).toContainText("Ansicht als Kunde: Bergmann Logistik GmbH – nur lesen");
  await expect(staff.getByRole("heading", { name: "Bergmann Logistik GmbH" })).toBeVisible();
  const write = await staff.request.post("/api/manage/server/reboot", { headers: { origin: new URL(staff.url()).origin } });
  expect(write.status()).toBe(403);
  expect((await write.json()).message).toMatch(/^Nur-Lese-Ansicht/);
  await staff.getByRole("button", { name: "Kundenansicht beenden" }).click();
  await expect(staff.getByRole("heading", { name: "Bergmann Logistik GmbH", level: 1 })).toBeVisible();
  await expect(staff.getByTestId("impersonation-banner")).toHaveCount(0);
  const ended = staff.getByTestId("admin-activity").locator("li").filter({ hasText: "Ansicht als Kunde beendet" }).first();
  await expect(ended).toContainText("Sabine Krüger");
  await staff.context().close();
});
