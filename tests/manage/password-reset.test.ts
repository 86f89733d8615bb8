import { describe, expect, it } from "vitest";
import { POST as forgot } from "@/app/api/manage/auth/forgot-password/route";
import { POST as login } from "@/app/api/manage/auth/login/route";
import { GET as me } from "@/app/api/manage/auth/me/route";
import { POST as reset } from "@/app/api/manage/auth/reset-password/route";
import { DEMO_PASSWORD } from "@/db/seed";
import { readOutbox } from "@/lib/mail";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";

useTestDatabase();

async function requestLink(email: string, ip: string) {
  const res = await call(forgot, "POST", "/api/manage/auth/forgot-password", { body: { email }, ip });
  expect(res.status).toBe(200);
  const [mail] = await readOutbox(email, 1);
  const link = new URL(/https?:\/\/\S+/.exec(mail.text)![0]);
  return { res, mail, token: link.searchParams.get("token")!, link };
}

describe("forgot and reset password", () => {
  it("answers the same for existing and unknown accounts and mails only the existing one", async () => {
    const before = (await readOutbox()).length;
    const known = await call(forgot, "POST", "/api/manage/auth/forgot-password", { body: { email: "admin@firma.de" }, ip: "192.0.2.1" });
    const unknown = await call(forgot, "POST", "/api/manage/auth/forgot-password", { body: { email: "nobody@firma.de" }, ip: "192.0.2.2" });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(unknown.json).toEqual(known.json);
    const mails = await readOutbox();
    expect(mails.length - before).toBe(1);
    expect(mails[0].to).toBe("admin@firma.de");
    expect(mails[0].subject).toBe("Passwort zurücksetzen – Manage-Portal");
    expect(mails[0].text).toMatch(/Hallo Thomas Becker/);
  });

  it("resets the password once, ends all sessions, and refuses the token a second time", async () => {
    const email = "it@bergmann-logistik.de";
    const session = await call(login, "POST", "/api/manage/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: "192.0.2.3" });
    const { token, link } = await requestLink(email, "192.0.2.4");
    expect(link.pathname).toBe("/passwort-zuruecksetzen");
    const body = { email, token, password: "frisches-passwort", password_confirmation: "frisches-passwort" };
    const first = await call(reset, "POST", "/api/manage/auth/reset-password", { body });
    expect(first.status).toBe(200);
    expect((await call(me, "GET", "/api/manage/auth/me", { token: session.json.token })).status).toBe(401);
    const again = await call(reset, "POST", "/api/manage/auth/reset-password", { body: { ...body, password: "noch-ein-passwort", password_confirmation: "noch-ein-passwort" } });
    expect(again.status).toBe(422);
    expect(again.json.errors.token[0]).toMatch(/ungültig oder abgelaufen/);
    const ok = await call(login, "POST", "/api/manage/auth/login", { body: { email, password: "frisches-passwort" }, ip: "192.0.2.5" });
    expect(ok.status).toBe(200);
  });

  it("lets only one of several concurrent resets with the same token win", async () => {
    const email = "info@nordlicht-design.de";
    const { token } = await requestLink(email, "192.0.2.6");
    const results = await Promise.all(
      ["passwort-eins-1", "passwort-zwei-2", "passwort-drei-3", "passwort-vier-4"].map((password) =>
        call(reset, "POST", "/api/manage/auth/reset-password", { body: { email, token, password, password_confirmation: password } }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 422)).toHaveLength(3);
  });

  it("refuses a token of another account, a wrong token and a short password", async () => {
    const { token } = await requestLink("admin@firma.de", "192.0.2.7");
    const other = await call(reset, "POST", "/api/manage/auth/reset-password", {
      body: { email: "it@bergmann-logistik.de", token, password: "abcdefgh12", password_confirmation: "abcdefgh12" },
    });
    expect(other.status).toBe(422);
    const wrong = await call(reset, "POST", "/api/manage/auth/reset-password", {
      body: { email: "admin@firma.de", token: "x".repeat(43), password: "abcdefgh12", password_confirmation: "abcdefgh12" },
    });
    expect(wrong.status).toBe(422);
    const short = await call(reset, "POST", "/api/manage/auth/reset-password", {
      body: { email: "admin@firma.de", token, password: "kurz", password_confirmation: "kurz" },
    });
    expect(short.status).toBe(422);
    expect(Object.keys(short.json.errors)).toEqual(["password"]);
    // The token survived the invalid attempts and still works.
    const good = await call(reset, "POST", "/api/manage/auth/reset-password", {
      body: { email: "admin@firma.de", token, password: "abcdefgh12", password_confirmation: "abcdefgh12" },
    });
    expect(good.status).toBe(200);
  });

  it("refuses an expired token", async () => {
    const { eq } = await import("drizzle-orm");
    const { getDb } = await import("@/db/client");
    const { passwordResetTokens } = await import("@/db/schema");
    const { hashToken } = await import("@/lib/crypto/tokens");
    const { token } = await requestLink("admin@firma.de", "192.0.2.8");
    const db = await getDb();
    await db.update(passwordResetTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(passwordResetTokens.tokenHash, hashToken(token)));
    const res = await call(reset, "POST", "/api/manage/auth/reset-password", {
      body: { email: "admin@firma.de", token, password: "abcdefgh12", password_confirmation: "abcdefgh12" },
    });
    expect(res.status).toBe(422);
  });
});
