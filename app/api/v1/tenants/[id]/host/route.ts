import { userActor } from "@/lib/activity";
import { parseJsonBody } from "@/lib/http/body";
import { v1Route } from "@/lib/doors/v1/route";
import { linkHostBody } from "@/lib/doors/v1/schemas";
import { linkTenantHost } from "@/lib/doors/v1/tenants";

/** PUT /api/v1/tenants/{id}/host: links a Hetzner server to the tenant (same command as the staff UI). */
export const PUT = v1Route({ permission: "tenant.manage", staffOnly: true }, async ({ req, params, auth, ip }) => {
  const { hetzner_server_id } = await parseJsonBody(req, linkHostBody);
  return linkTenantHost(userActor(auth.principal, ip), String(params.id), hetzner_server_id);
});
