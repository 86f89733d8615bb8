import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";
import { resendMail } from "@/lib/mail/staff";

export const POST = staffRoute({ permission: "tenant.manage" }, async ({ params }) => resendMail(intIdParam(params, "id", "Mail nicht gefunden.")));
