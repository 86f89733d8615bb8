import { staffRoute } from "@/lib/invoices/http";
import { listRecipients } from "@/lib/invoices/service";

/** Instances and their last-used invoice recipient, for the draft form. */
export const GET = staffRoute("invoice.read", async () => listRecipients());
