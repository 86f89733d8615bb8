import { userActor } from "@/lib/activity";
import { cancelTierPrice } from "@/lib/billing/tier-prices";
import { staffRoute } from "@/lib/doors/manage/route";
import { keyParam } from "@/lib/http/params";

/** Cancels the change taking effect on {date} (YYYY-MM-DD) while it is still in the future. */
export const DELETE = staffRoute({ permission: "tenant.manage" }, async ({ ip, params, auth }) => {
  const key = keyParam(params, "key", "Tarif nicht gefunden.");
  const date = keyParam(params, "date", "Diese Preisänderung gibt es nicht.");
  return cancelTierPrice(userActor(auth.principal, ip), { tierKey: key, day: date });
});
