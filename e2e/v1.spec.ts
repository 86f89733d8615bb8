import { expect, test } from "./fixtures";
import { DEMO_PASSWORD, latestMail, login, logout } from "./helpers";

const EMAIL = "it@bergmann-logistik.de";

function codeFrom(text: string) {
  const match = /\b(\d{8})\b/.exec(text);
  if (!match) throw new Error("Kein Code in der Mail");
  return match[1];
}

test("enable e-mail 2FA, log out, log in with the mailed code, then turn it off again", async ({ page, request }) => {
  await login(page, EMAIL);
  await page.goto("/konto#zwei-faktor");
  await page.getByRole("button", { name: "E-Mail-Bestätigung einschalten" }).click();
  await page.getByLabel("Passwort zur Bestätigung").fill("falsch");
  await page.getByRole("button", { name: "Code senden" }).click();
  await expect(page.getByText("Das Passwort ist falsch.")).toBeVisible();
  await page.getByLabel("Passwort zur Bestätigung").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Code senden" }).click();
  // Switched on only with the mailed test code (6 digits; e2e/email-2fa.spec.ts covers the details).
  await expect(page.getByText(`Wir haben einen Code an ${EMAIL} gesendet`)).toBeVisible();
  const testCode = /\b(\d{6})\b/.exec((await latestMail(request, EMAIL)).text)![1];
  await page.getByLabel("Code aus der E-Mail").fill(testCode);
  await page.getByRole("button", { name: "Code bestätigen" }).click();
  await expect(page.getByText("Aktiv", { exact: true })).toBeVisible();
  await logout(page);

  await page.getByLabel("E-Mail-Adresse").fill(EMAIL);
  await page.getByLabel("Passwort").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Anmelden", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Anmeldecode eingeben" })).toBeVisible();
  const mail = await latestMail(request, EMAIL);
  expect(mail.subject).toMatch(/Anmeldecode/);
  const code = codeFrom(mail.text);
  const wrong = code === "00000000" ? "11111111" : "00000000";
  await page.getByLabel("Code aus der E-Mail").fill(wrong);
  await page.getByRole("button", { name: "Code bestätigen" }).click();
  // Wrong codes count per account over 30 minutes, whatever challenge they came from (earlier specs may have used some).
  await expect(page.getByText(/Der Code ist falsch\. Noch [1-4] Versuch/)).toBeVisible();
  await page.getByLabel("Code aus der E-Mail").fill(code);
  await page.getByRole("button", { name: "Code bestätigen" }).click();
  await expect(page.getByRole("button", { name: "Abmelden" })).toBeVisible();

  await page.goto("/konto#zwei-faktor");
  await page.getByRole("button", { name: "Zwei-Faktor-Anmeldung deaktivieren" }).click();
  await page.getByLabel("Passwort zur Bestätigung").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Deaktivieren bestätigen" }).click();
  await expect(page.getByText("Aus", { exact: true })).toBeVisible();
});

test("create an API key, use it over real HTTP, revoke it with confirmation", async ({ page, playwright, baseURL }) => {
  await login(page, "admin@firma.de");
  await page.goto("/konto#api-schluessel");
  await page.getByLabel("Name des Schlüssels").fill("e2e-skript");
  await page.getByLabel("Berechtigung").selectOption("read");
  await page.getByRole("button", { name: "Schlüssel erstellen" }).click();
  await expect(page.getByText("wird nur dieses eine Mal angezeigt")).toBeVisible();
  const token = (await page.getByTestId("new-api-key").textContent())!.trim();
  expect(token).toMatch(/^mpat_/);

  // A separate HTTP client without the browser's cookies.
  const api = await playwright.request.newContext({ baseURL });
  const hosts = await api.get("/api/v1/hosts", { headers: { authorization: `Bearer ${token}` } });
  expect(hosts.status()).toBe(200);
  const body = await hosts.json();
  expect(body.hosts.map((h: { id: number }) => h.id)).toEqual([1001]);
  const write = await api.post("/api/v1/hosts/1001/refresh-status", { headers: { authorization: `Bearer ${token}` } });
  expect(write.status()).toBe(403);
  expect((await write.json()).detail.error).toBe("insufficient_scope");

  await page.getByRole("button", { name: "Ich habe den Schlüssel gespeichert" }).click();
  await page.reload();
  const list = page.getByRole("list", { name: "API-Schlüssel" });
  await expect(list.getByText("e2e-skript")).toBeVisible();
  await expect(list.getByText(/zuletzt benutzt (?!noch nie)/)).toBeVisible();
  await page.getByRole("button", { name: "Schlüssel e2e-skript widerrufen" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Widerrufen" }).click();
  await expect(page.getByText("Noch keine API-Schlüssel")).toBeVisible();
  const after = await api.get("/api/v1/hosts", { headers: { authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
  const spec = await api.get("/api/v1/openapi.json");
  expect((await spec.json()).openapi).toBe("3.1.0");
  await api.dispose();
});

test("API reference page renders the generated document", async ({ page }) => {
  await login(page, "admin@firma.de");
  await page.goto("/api-referenz");
  await expect(page.getByRole("heading", { name: "API-Referenz" })).toBeVisible();
  await expect(page.getByText("/api/v1/auth/2fa/verify").first()).toBeVisible();
  await expect(page.getByText("/api/manage/auth/login").first()).toBeVisible();
});

test("sessions list and sign out everywhere", async ({ page }) => {
  await login(page, "admin@firma.de");
  await page.goto("/konto/sitzungen");
  await expect(page.getByRole("list", { name: "Aktive Sitzungen" }).getByText("Diese Sitzung")).toBeVisible();
  await page.getByRole("button", { name: "Überall abmelden" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Überall abmelden" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/konto");
  await expect(page).toHaveURL(/\/login/);
});
