import { userActor } from "@/lib/activity";
import { getHost, unlinkHost } from "@/lib/doors/v1/hosts";
import { v1TenantRoute } from "@/lib/doors/v1/route";

export const GET = v1TenantRoute({ permission: "host.read" }, async ({ tenant, params }) => getHost(tenant, String(params.id)));

/** Unlinks the Hetzner server from its instance (the server itself stays). */
export const DELETE = v1TenantRoute({ permission: "host.delete" }, async ({ tenant, params, auth, ip }) =>
  unlinkHost(tenant, String(params.id), userActor(auth.principal, ip)),
);
