import { userActor } from "@/lib/activity";
import { v1Route } from "@/lib/doors/v1/route";
import { reactivateTenant } from "@/lib/doors/v1/tenants";

export const POST = v1Route({ permission: "tenant.manage", staffOnly: true }, async ({ params, auth, ip }) =>
  reactivateTenant(userActor(auth.principal, ip), String(params.id)),
);
