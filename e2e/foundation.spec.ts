import { expect, test } from "./fixtures";
import { DEMO_PASSWORD, latestMail, login, logout } from "./helpers";

test("customer logs in, sees instance and server status, opens the activity log and logs out", async ({ page }) => {
  await login(page, "admin@firma.de");
  await expect(page.getByRole("heading", { name: "Acme Corp" })).toBeVisible();
  await expect(page.getByTestId("instance-status")).toHaveText("Online");
  await expect(page.getByTestId("server-status")).toHaveText("Online");
  await expect(page.getByText("49.12.34.56")).toBeVisible();
  await expect(page.getByText("49,00 €")).toBeVisible();

  await page.getByRole("link", { name: "Aktivität" }).click();
  await expect(page.getByRole("heading", { name: "Aktivität" })).toBeVisible();
  await expect(page.getByTestId("activity-entry").first()).toContainText("Login über Manage-Portal");
  await expect(page.getByText(/Seite 1 von \d+/)).toBeVisible();

  await logout(page);
  // The session is gone on the server, not only in the browser.
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  const res = await page.request.get("/api/manage/status");
  expect(res.status()).toBe(401);
});

test("a wrong password shows the German error next to the form", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("E-Mail-Adresse").fill("admin@firma.de");
  await page.getByLabel("Passwort").fill("ganz-falsch");
  await page.getByRole("button", { name: "Anmelden", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Passwort" })).toHaveText("Die E-Mail-Adresse oder das Passwort ist falsch.");
  await expect(page).toHaveURL(/\/login/);
});

test("a suspended customer sees the suspension notice and cannot open other sections", async ({ page }) => {
  await login(page, "info@nordlicht-design.de");
  await expect(page.getByText("Ihre Instanz ist gesperrt.")).toBeVisible();
  await expect(page.getByText(/Offene Rechnungen seit über 30 Tagen/).first()).toBeVisible();
  await expect(page.getByTestId("instance-status")).toHaveText("Gesperrt");
  await page.getByRole("link", { name: /Aktivität/ }).click();
  await expect(page.getByRole("heading", { name: "Bereich nicht verfügbar" })).toBeVisible();
  const api = await page.request.get("/api/manage/activity-log");
  expect(api.status()).toBe(403);
});

test("password reset by mail link, then login with the new password", async ({ page, request }) => {
  await page.goto("/login");
  await page.getByRole("link", { name: "Passwort vergessen?" }).click();
  await page.getByLabel("E-Mail-Adresse").fill("it@bergmann-logistik.de");
  await page.getByRole("button", { name: "Link anfordern" }).click();
  await expect(page.getByText(/Falls ein Konto mit dieser E-Mail-Adresse existiert/)).toBeVisible();

  const mail = await latestMail(request, "it@bergmann-logistik.de");
  expect(mail.subject).toBe("Passwort zurücksetzen – Manage-Portal");
  const link = new URL(/https?:\/\/\S+/.exec(mail.text)![0]);
  await page.goto(link.pathname + link.search);
  await page.getByLabel("Neues Passwort", { exact: true }).fill("neues-e2e-passwort");
  await page.getByLabel("Neues Passwort wiederholen").fill("neues-e2e-passwort");
  await page.getByRole("button", { name: "Passwort speichern" }).click();
  await expect(page.getByText("Ihr Passwort wurde geändert.")).toBeVisible();
  await login(page, "it@bergmann-logistik.de", "neues-e2e-passwort");
  await expect(page.getByRole("heading", { name: "Bergmann Logistik GmbH" })).toBeVisible();

  // Back to the demo password on the account page, so later specs can log in as this user.
  await page.getByRole("link", { name: "Konto" }).click();
  await page.getByLabel("Aktuelles Passwort").fill("neues-e2e-passwort");
  await page.getByLabel("Neues Passwort", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByLabel("Neues Passwort wiederholen").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Passwort ändern" }).click();
  await expect(page.getByText("Passwort geändert. Andere Sitzungen wurden beendet.").first()).toBeVisible();
});

test("the address typed on the sign-in page goes along to 'Passwort vergessen', and the sign-in form is locked while it loads", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("E-Mail-Adresse").fill("admin@firma.de");
  await page.getByRole("link", { name: "Passwort vergessen?" }).click();
  await expect(page.getByRole("heading", { name: "Passwort vergessen" })).toBeVisible();
  await expect(page.getByLabel("E-Mail-Adresse")).toHaveValue("admin@firma.de");
  await expect(page).toHaveURL(/\/passwort-vergessen\?email=admin%40firma\.de$/);
});

test("changing the password on the account page validates each field", async ({ page }) => {
  await login(page, "admin@firma.de");
  await page.getByRole("link", { name: "Konto" }).click();
  await page.getByLabel("Aktuelles Passwort").fill("falsch");
  await page.getByLabel("Neues Passwort", { exact: true }).fill("kurz");
  await page.getByLabel("Neues Passwort wiederholen").fill("kurz");
  await page.getByRole("button", { name: "Passwort ändern" }).click();
  await expect(page.getByText("Das Passwort muss mindestens 8 Zeichen lang sein.")).toBeVisible();
  await page.getByLabel("Neues Passwort", { exact: true }).fill("ein-neues-passwort");
  await page.getByLabel("Neues Passwort wiederholen").fill("ein-neues-passwort");
  await page.getByRole("button", { name: "Passwort ändern" }).click();
  await expect(page.getByText("Das aktuelle Passwort ist falsch.")).toBeVisible();
});

test("the portal works on a phone-width screen", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await login(page, "admin@firma.de");
  await expect(page.getByRole("heading", { name: "Acme Corp" })).toBeVisible();
  await page.getByRole("button", { name: "Menü" }).click();
  await page.getByRole("link", { name: "Aktivität" }).click();
  await expect(page.getByRole("heading", { name: "Aktivität" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflow).toBe(false);
});

test("on a phone, the menu opens and leads on before the page is interactive", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await login(page, "admin@firma.de");
  // Hold back the page's scripts (not its styles): a tap on "Menü" on a slow connection comes before React has loaded.
  let release: () => void = () => {};
  const scriptsHeld = new Promise<void>((resolve) => (release = resolve));
  await page.route((url) => url.pathname.startsWith("/_next/static/chunks/") && url.pathname.endsWith(".js"), async (route) => {
    await scriptsHeld;
    await route.continue();
  });
  await page.goto("/", { waitUntil: "commit" });
  const nav = page.getByRole("navigation", { name: "Hauptnavigation" });
  await expect(page.getByRole("button", { name: "Menü" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Aktivität" })).toBeHidden();
  await page.getByRole("button", { name: "Menü" }).click();
  await expect(nav.getByRole("link", { name: "Aktivität" })).toBeVisible();
  await page.getByRole("button", { name: "Schließen" }).click();
  await expect(nav.getByRole("link", { name: "Aktivität" })).toBeHidden();
  await page.getByRole("button", { name: "Menü" }).click();
  await nav.getByRole("link", { name: "Aktivität" }).click();
  await expect(page).toHaveURL(/\/aktivitaet$/);
  release();
  await page.waitForLoadState("networkidle");
  // Once interactive, a link in the menu closes it on the way to the next page.
  await page.getByRole("button", { name: "Menü" }).click();
  await nav.getByRole("link", { name: "Übersicht" }).click();
  await expect(page.getByRole("heading", { name: "Acme Corp" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Aktivität" })).toBeHidden();
});

test("what is typed before the page is interactive is kept and sent (sign-in and forgotten password)", async ({ page, request }) => {
  // Hold back the page's scripts, type into the server-rendered form, then let the scripts run.
  let release: () => void = () => {};
  const scriptsHeld = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/chunks/**", async (route) => {
    await scriptsHeld;
    await route.continue();
  });
  await page.goto("/passwort-vergessen", { waitUntil: "commit" });
  await page.getByLabel("E-Mail-Adresse").fill("it@bergmann-logistik.de");
  release();
  await page.waitForLoadState("networkidle");
  await expect(page.getByLabel("E-Mail-Adresse")).toHaveValue("it@bergmann-logistik.de");
  await page.getByRole("button", { name: "Link anfordern" }).click();
  await expect(page.getByText(/Falls ein Konto mit dieser E-Mail-Adresse existiert/)).toBeVisible();
  expect((await latestMail(request, "it@bergmann-logistik.de")).subject).toBe("Passwort zurücksetzen – Manage-Portal");

  let releaseLogin: () => void = () => {};
  const loginHeld = new Promise<void>((resolve) => (releaseLogin = resolve));
  await page.unroute("**/_next/static/chunks/**");
  await page.route("**/_next/static/chunks/**", async (route) => {
    await loginHeld;
    await route.continue();
  });
  await page.goto("/login", { waitUntil: "commit" });
  await page.getByLabel("E-Mail-Adresse").fill("it@bergmann-logistik.de");
  await page.getByLabel("Passwort").fill(DEMO_PASSWORD);
  releaseLogin();
  await page.waitForLoadState("networkidle");
  await page.getByRole("button", { name: "Anmelden", exact: true }).click();
  await expect(page.getByRole("button", { name: "Abmelden" })).toBeVisible();
});
