import { userActor } from "@/lib/activity";
import { getBillingProfile, updateBillingProfile } from "@/lib/invoices/billing-profile";
import { staffProfileBody } from "@/lib/invoices/billing-profile-schemas";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";

const instanceId = (params: Parameters<typeof intIdParam>[0]) => intIdParam(params, "id", "Diese Instanz gibt es nicht.");

export const GET = staffRoute({ permission: "invoice.read" }, async ({ params }) => getBillingProfile(instanceId(params)));

export const PUT = staffRoute({ permission: "invoice.write" }, async ({ req, ip, params, auth }) => {
  const id = instanceId(params);
  const input = await parseJsonBody(req, staffProfileBody);
  const { profile, changed } = await updateBillingProfile(userActor(auth.principal, ip), { ...input, instance_id: id });
  return { message: changed.length > 0 ? "Rechnungsprofil gespeichert" : "Keine Änderungen.", ...profile };
});
