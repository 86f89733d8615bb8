import { userActor } from "@/lib/activity";
import { resendFailedMail } from "@/lib/admin/mail-resend";
import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";

/** A failed mail again; one with a link or code is replaced by a fresh one to the account's own address. */
export const POST = staffRoute({ permission: "tenant.manage" }, async ({ auth, ip, params }) =>
  resendFailedMail(userActor(auth.principal, ip), { mailId: intIdParam(params, "id", "Mail nicht gefunden.") }),
);
