import { stringParam } from "@/lib/admin/params";
import { updateTierSchema } from "@/lib/admin/schemas";
import { updateTier } from "@/lib/admin/tiers";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/http/manage-route";

export const PATCH = staffRoute({ permission: "tenant.manage" }, async ({ req, ip, params, auth }) => {
  const key = stringParam(params, "key", "Tarif nicht gefunden.");
  const input = await parseJsonBody(req, updateTierSchema);
  return updateTier({ principal: auth.principal, ip }, key, input);
});
