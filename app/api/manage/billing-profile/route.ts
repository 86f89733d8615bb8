import { userActor } from "@/lib/activity";
import { getBillingProfile, updateOwnBillingProfile } from "@/lib/invoices/billing-profile";
import { customerProfileBody } from "@/lib/invoices/billing-profile-schemas";
import { parseJsonBody } from "@/lib/http/body";
import { instanceRoute } from "@/lib/doors/manage/route";

export const GET = instanceRoute({ permission: "invoice.read" }, async ({ instance }) => getBillingProfile(instance.instance.id));

/** Customer admins (the only customer role that manages users) change the invoice address and e-mails. */
export const PUT = instanceRoute({ permission: "user.manage" }, async ({ req, ip, instance, auth }) => {
  const input = await parseJsonBody(req, customerProfileBody);
  const { profile, changed } = await updateOwnBillingProfile(userActor(auth.principal, ip), { ...input, instance_id: instance.instance.id });
  return { message: changed.length > 0 ? "Rechnungsadresse gespeichert" : "Keine Änderungen.", ...profile };
});
