import { v1Route } from "@/lib/v1/route";
import { setTenantSuspension } from "@/lib/v1/tenants";

export const POST = v1Route({ permission: "tenant.manage", staffOnly: true }, async ({ params, auth, ip }) =>
  setTenantSuspension(String(params.id), false, null, auth.principal, ip),
);
