import { userActor } from "@/lib/activity";
import { dunningSettingsBody } from "@/lib/dunning/schemas";
import { getDunningSettings, updateDunningSettings } from "@/lib/dunning/settings";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";

export const GET = staffRoute({ permission: "invoice.read" }, async () => {
  return { settings: await getDunningSettings() };
});

export const PUT = staffRoute({ permission: "invoice.write" }, async ({ req, ip, auth }) => {
  const input = await parseJsonBody(req, dunningSettingsBody);
  return { message: "Mahneinstellungen gespeichert", settings: await updateDunningSettings(userActor(auth.principal, ip), input) };
});
