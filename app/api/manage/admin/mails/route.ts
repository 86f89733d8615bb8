import { parseQuery } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { listMails, listMailsQuery } from "@/lib/mail/staff";

export const GET = staffRoute({ permission: "tenant.manage" }, async ({ req }) => listMails(parseQuery(req, listMailsQuery)));
