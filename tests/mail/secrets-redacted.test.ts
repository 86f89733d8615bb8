/**
 * Links and codes in mails are stored and shown redacted: the staff mail view
 * (API and page data) and the table itself hold a note instead of the reset
 * link or the sign-in code; the transport (here the Resend stand-in) gets the
 * working secret; once sent, the sealed copy is deleted. Queuing a failed mail
 * again answers without any of it.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as resend } from "@/app/api/manage/admin/mails/[id]/resend/route";
import { GET as listMailsRoute } from "@/app/api/manage/admin/mails/route";
import { POST as v1Login } from "@/app/api/v1/auth/login/route";
import { mailOutbox } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { anonymousActor } from "@/lib/activity";
import { requestPasswordReset } from "@/lib/auth/passwords-flow";
import { resetConfigForTests } from "@/lib/config";
import { deliverDueMails } from "@/lib/mail";
import { startResendStandIn, type ResendStandIn } from "@/lib/mail/resend-stand-in";
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

const RESET_LINK = /passwort-zuruecksetzen\?[^\s"<]*token=[A-Za-z0-9_-]{20,}/;

async function rowsTo(email: string) {
  return database.db().select().from(mailOutbox).where(eq(mailOutbox.to, email));
}

describe("mail secrets", () => {
  it("a reset link is never in the table or the staff view, but reaches the transport", async () => {
    const email = "admin@firma.de";
    await requestPasswordReset(anonymousActor(uniqueIp()), { email });
    const [row] = (await rowsTo(email)).filter((r) => r.subject.startsWith("Passwort"));
    expect(row.text).not.toMatch(RESET_LINK);
    expect(row.html ?? "").not.toMatch(/token=/);
    expect(row.text).toContain("entfernt");
    expect(row.secretsSealed).toMatch(/^v1\./);

    const token = await loginAs(STAFF);
    const view = await call(listMailsRoute, "GET", "/api/manage/admin/mails", { token });
    expect(view.status).toBe(200);
    expect(view.text).not.toMatch(/token=/);
    expect(view.text).toContain("entfernt");

    const run = await deliverDueMails();
    expect(run.sent).toBeGreaterThan(0);
    const delivered = stand.mails.find((m) => m.to.includes(email));
    expect(JSON.stringify(delivered)).toMatch(RESET_LINK);
    const [after] = await database.db().select().from(mailOutbox).where(eq(mailOutbox.id, row.id));
    expect(after.status).toBe("sent");
    expect(after.secretsSealed).toBeNull();
    expect(after.text).not.toMatch(RESET_LINK);
  });

  it("a 2FA code is not in subject, text or staff view; queuing a failed one again shows nothing of it", async () => {
    const email = "it@bergmann-logistik.de";
    await setTwoFactor(email, true);
    const login = await call(v1Login, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(login.json.two_fa_required).toBe(true);
    const [row] = (await rowsTo(email)).filter((r) => r.subject.startsWith("Ihr Anmeldecode"));
    expect(`${row.subject} ${row.text} ${row.html}`).not.toMatch(/\b\d{8}\b/);
    await database.db().update(mailOutbox).set({ status: "failed", lastError: "bounce" }).where(eq(mailOutbox.id, row.id));

    const token = await loginAs(STAFF);
    const view = await call(listMailsRoute, "GET", "/api/manage/admin/mails?status=failed", { token });
    expect(view.text).not.toMatch(/\b\d{8}\b/);
    const again = await call(resend, "POST", "/api/manage/admin/mails/{id}/resend", { token, params: { id: String(row.id) } });
    expect(again.status).toBe(200);
    expect(again.text).not.toMatch(/\b\d{8}\b/);

    stand.mails.length = 0;
    await deliverDueMails();
    const delivered = stand.mails.find((m) => JSON.stringify(m).includes(email));
    expect(delivered?.subject).toMatch(/Ihr Anmeldecode: \d{8}/);
  });
});
