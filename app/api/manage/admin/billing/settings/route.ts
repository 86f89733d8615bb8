import { userActor } from "@/lib/activity";
import { settingsBody } from "@/lib/billing/schemas";
import { getBillingSettings, updateBillingSettings } from "@/lib/billing/settings";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";

export const GET = staffRoute({ permission: "invoice.read" }, async () => {
  return { settings: await getBillingSettings() };
});

export const PUT = staffRoute({ permission: "invoice.write" }, async ({ req, ip, auth }) => {
  const input = await parseJsonBody(req, settingsBody);
  return { message: "Einstellungen gespeichert", settings: await updateBillingSettings(userActor(auth.principal, ip), input) };
});
