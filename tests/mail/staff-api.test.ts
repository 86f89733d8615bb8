import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as listMails } from "@/app/api/manage/admin/mails/route";
import { POST as resend } from "@/app/api/manage/admin/mails/[id]/resend/route";
import { mailOutbox } from "@/db/schema";
import { enqueueMail } from "@/lib/mail";
import { CUSTOMER, loginAs, STAFF, SUPPORT } from "../admin/helpers";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";

const database = useTestDatabase();

describe("staff mail outbox API", () => {
  it("shows failed mails to staff with tenant.manage and queues them again", async () => {
    const db = database.db();
    const id = (await enqueueMail(db, { to: "kunde@example.com", subject: "Rechnung RE-2026-0001", text: "Hallo" }))!;
    await db.update(mailOutbox).set({ status: "failed", attempts: 8, lastError: "application_error: Service unavailable" }).where(eq(mailOutbox.id, id));

    const token = await loginAs(STAFF);
    const list = await call(listMails, "GET", "/api/manage/admin/mails?status=failed", { token });
    expect(list.status).toBe(200);
    expect(list.json.failed_count).toBe(1);
    expect(list.json.mails).toEqual([
      expect.objectContaining({ id, to: "kunde@example.com", status: "failed", status_label: "Fehlgeschlagen", attempts: 8, last_error: "application_error: Service unavailable" }),
    ]);

    const again = await call(resend, "POST", `/api/manage/admin/mails/${id}/resend`, { token, params: { id: String(id) }, headers: { origin: "http://localhost:3000" } });
    expect(again.status).toBe(200);
    const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
    expect(row).toMatchObject({ status: "queued", attempts: 0, lastError: null });

    const twice = await call(resend, "POST", `/api/manage/admin/mails/${id}/resend`, { token, params: { id: String(id) } });
    expect(twice.status).toBe(409);
    const missing = await call(resend, "POST", "/api/manage/admin/mails/99999999999/resend", { token, params: { id: "99999999999" } });
    expect(missing.status).toBe(404);
  });

  it("keeps the mails (reset links, codes) from customers and from support staff", async () => {
    for (const email of [CUSTOMER, SUPPORT]) {
      const res = await call(listMails, "GET", "/api/manage/admin/mails", { token: await loginAs(email) });
      expect(res.status).toBe(403);
    }
    expect((await call(listMails, "GET", "/api/manage/admin/mails")).status).toBe(401);
  });

  it("answers 422 for an unknown status filter", async () => {
    const res = await call(listMails, "GET", "/api/manage/admin/mails?status=gelesen", { token: await loginAs(STAFF) });
    expect(res.status).toBe(422);
  });
});
