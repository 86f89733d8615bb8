/**
 * Staff "Erneut senden" of a failed mail that carried a link or code: the old
 * secret never leaves (its sealed copy is dropped), a fresh one goes to the
 * account's own address, and the staff answer shows nothing of either.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as resend } from "@/app/api/manage/admin/mails/[id]/resend/route";
import { POST as v1LoginRoute } from "@/app/api/v1/auth/login/route";
import { POST as verifyRoute } from "@/app/api/v1/auth/2fa/verify/route";
import { mailOutbox, twoFactorChallenges } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { anonymousActor } from "@/lib/activity";
import { requestPasswordReset } from "@/lib/auth/passwords-flow";
import { resetConfigForTests } from "@/lib/config";
import { deliverDueMails } from "@/lib/mail";
import { startResendStandIn, type ResendStandIn } from "@/lib/mail/resend-stand-in";
import { restoreSecrets } from "@/lib/mail/secrets";
import { loginAs, STAFF } from "../admin/helpers";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { setTwoFactor, uniqueIp } from "../v1/helpers";

const database = useTestDatabase();
const savedEnv = { ...process.env };
let stand: ResendStandIn;

beforeAll(async () => {
  stand = await startResendStandIn();
  process.env.RESEND_API_KEY = stand.apiKey;
  process.env.RESEND_BASE_URL = stand.url;
  process.env.MAIL_TRANSPORT = "resend";
  resetConfigForTests();
});
afterAll(async () => {
  await stand.close();
  process.env = { ...savedEnv };
  resetConfigForTests();
});

/** The newest mail to an address with this subject start, marked failed; with the secret it held. */
async function failNewest(email: string, subject: string) {
  const rows = (await database.db().select().from(mailOutbox).where(eq(mailOutbox.to, email))).filter((r) => r.subject.startsWith(subject));
  const row = rows.sort((a, b) => b.id - a.id)[0];
  const original = restoreSecrets(row.subject, row.text, row.html, row.secretsSealed);
  await database.db().update(mailOutbox).set({ status: "failed", lastError: "bounce" }).where(eq(mailOutbox.id, row.id));
  return { row, original };
}

describe("resend of a failed mail with a link or code", () => {
  it("a reset link: a fresh link to the account's address, the old one never sent, nothing shown", async () => {
    const email = "admin@firma.de";
    await requestPasswordReset(anonymousActor(uniqueIp()), { email });
    const { row, original } = await failNewest(email, "Passwort");
    const oldLink = /token=[A-Za-z0-9_-]+/.exec(original.text)![0];

    const staff = await loginAs(STAFF);
    const answer = await call(resend, "POST", "/api/manage/admin/mails/{id}/resend", { token: staff, params: { id: String(row.id) } });
    expect(answer.status).toBe(200);
    expect(answer.json.message).toContain(email);
    expect(answer.text).not.toMatch(/token=/);
    expect(answer.json.mail.id).not.toBe(row.id);
    const [old] = await database.db().select().from(mailOutbox).where(eq(mailOutbox.id, row.id));
    expect(old).toMatchObject({ status: "failed", secretsSealed: null });

    stand.mails.length = 0;
    await deliverDueMails();
    const delivered = JSON.stringify(stand.mails.filter((m) => JSON.stringify(m).includes(email)));
    const newLink = /token=[A-Za-z0-9_-]+/.exec(delivered)?.[0];
    expect(newLink).toBeTruthy();
    expect(newLink).not.toBe(oldLink);
    expect(delivered).not.toContain(oldLink);

    // Twice is refused: the mail was already replaced.
    expect((await call(resend, "POST", "/api/manage/admin/mails/{id}/resend", { token: staff, params: { id: String(row.id) } })).status).toBe(409);
  });

  it("a sign-in code: a fresh code for the same sign-in, the old one stops working", async () => {
    const email = "it@bergmann-logistik.de";
    await setTwoFactor(email, true);
    const login = await call(v1LoginRoute, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(login.json.two_fa_required).toBe(true);
    const { row, original } = await failNewest(email, "Ihr Anmeldecode");
    const oldCode = /\b(\d{8})\b/.exec(original.subject)![1];

    const staff = await loginAs(STAFF);
    const answer = await call(resend, "POST", "/api/manage/admin/mails/{id}/resend", { token: staff, params: { id: String(row.id) } });
    expect(answer.status).toBe(200);
    expect(answer.text).not.toMatch(/\b\d{8}\b/);

    stand.mails.length = 0;
    await deliverDueMails();
    const delivered = stand.mails.find((m) => JSON.stringify(m).includes(email));
    const newCode = /Ihr Anmeldecode: (\d{8})/.exec(delivered?.subject ?? "")?.[1];
    expect(newCode).toMatch(/^\d{8}$/);
    expect(newCode).not.toBe(oldCode);
    const wrong = await call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", { body: { challenge_token: login.json.challenge_token, code: oldCode }, ip: uniqueIp() });
    expect(wrong.status).toBe(401);
    const ok = await call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", { body: { challenge_token: login.json.challenge_token, code: newCode }, ip: uniqueIp() });
    expect(ok.status).toBe(200);
    await setTwoFactor(email, false);
  });

  it("a code whose sign-in is over: 409 with what to do, and the mail stays as it was", async () => {
    const email = "it@bergmann-logistik.de";
    await setTwoFactor(email, true);
    const login = await call(v1LoginRoute, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(login.json.two_fa_required).toBe(true);
    const { row } = await failNewest(email, "Ihr Anmeldecode");
    await database.db().update(twoFactorChallenges).set({ expiresAt: new Date(Date.now() - 1000) });
    const staff = await loginAs(STAFF);
    const answer = await call(resend, "POST", "/api/manage/admin/mails/{id}/resend", { token: staff, params: { id: String(row.id) } });
    expect(answer.status).toBe(409);
    expect(answer.json.message).toMatch(/erneut an/);
    const [same] = await database.db().select().from(mailOutbox).where(eq(mailOutbox.id, row.id));
    expect(same.status).toBe("failed");
    expect(same.secretsSealed).not.toBeNull();
    await setTwoFactor(email, false);
  });
});
