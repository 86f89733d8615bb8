import { staffRoute } from "@/lib/doors/manage/route";
import { listRecipients } from "@/lib/invoices/queries";

/** Instances and their last-used invoice recipient, for the draft form. */
export const GET = staffRoute({ permission: "invoice.read" }, async () => listRecipients());
