/**
 * Mail failures in sight: the staff dashboard counts mails that failed for good, the navigation
 * leads staff who may read them to the mail page, and resending takes one off the count.
 */
import { describe, expect, it } from "vitest";
import { GET as dashboard } from "@/app/api/manage/admin/dashboard/route";
import { POST as resend } from "@/app/api/manage/admin/mails/[id]/resend/route";
import { mailOutbox } from "@/db/schema";
import { navItemsFor } from "@/components/portal/shell";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { loginAs, STAFF } from "./helpers";

const database = useTestDatabase();
const origin = { origin: "http://localhost:3000" };

describe("mail failures in sight", () => {
  it("the dashboard counts failed mails; resending one lowers the count", async () => {
    const staff = await loginAs(STAFF);
    const before = (await call(dashboard, "GET", "/api/manage/admin/dashboard", { token: staff })).json.mails.failed_count as number;
    const [failed] = await database
      .db()
      .insert(mailOutbox)
      .values([
        { to: "kunde@example.de", subject: "Rechnung RE-2026-0001", text: "…", status: "failed", attempts: 8, lastError: "550 mailbox unavailable" },
        { to: "kunde2@example.de", subject: "Mahnung", text: "…", status: "failed", attempts: 8, lastError: "550 mailbox unavailable" },
      ])
      .returning({ id: mailOutbox.id });
    expect((await call(dashboard, "GET", "/api/manage/admin/dashboard", { token: staff })).json.mails.failed_count).toBe(before + 2);
    const res = await call(resend, "POST", `/api/manage/admin/mails/${failed!.id}/resend`, { token: staff, params: { id: String(failed!.id) }, headers: origin });
    expect(res.status).toBe(200);
    expect((await call(dashboard, "GET", "/api/manage/admin/dashboard", { token: staff })).json.mails.failed_count).toBe(before + 1);
  });

  it("the menu offers the mail page to staff who may read mails, not to others", () => {
    const me = (permissions: string[], staff = true) => ({ user: { staff, permissions }, instance: null, impersonation: null }) as never;
    const hrefs = (permissions: string[], staff = true) => navItemsFor(me(permissions, staff), { hasApiKeys: false }).map((i) => i.href);
    expect(hrefs(["tenant.read", "tenant.manage"])).toContain("/verwaltung/mails");
    expect(hrefs(["tenant.read"])).not.toContain("/verwaltung/mails");
    expect(hrefs(["tenant.manage"], false)).not.toContain("/verwaltung/mails");
  });
});
