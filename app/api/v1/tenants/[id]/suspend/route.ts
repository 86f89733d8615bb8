import { userActor } from "@/lib/activity";
import { parseJsonBody } from "@/lib/http/body";
import { v1Route } from "@/lib/doors/v1/route";
import { suspendBody } from "@/lib/doors/v1/schemas";
import { suspendTenant } from "@/lib/doors/v1/tenants";

export const POST = v1Route({ permission: "tenant.manage", staffOnly: true }, async ({ req, params, auth, ip }) => {
  const { reason } = await parseJsonBody(req, suspendBody);
  return suspendTenant(userActor(auth.principal, ip), String(params.id), reason);
});
