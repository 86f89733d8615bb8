import { keyParam } from "@/lib/http/params";
import { updateTierSchema } from "@/lib/admin/schemas";
import { updateTier } from "@/lib/admin/tiers";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { userActor } from "@/lib/activity";

export const PATCH = staffRoute({ permission: "tenant.manage" }, async ({ req, ip, params, auth }) => {
  const key = keyParam(params, "key", "Tarif nicht gefunden.");
  const input = await parseJsonBody(req, updateTierSchema);
  return updateTier(userActor(auth.principal, ip), { ...input, tierKey: key });
});
