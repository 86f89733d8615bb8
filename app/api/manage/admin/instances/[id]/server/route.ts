import { linkServer, unlinkServer } from "@/lib/admin/instances";
import { instanceIdParam } from "@/lib/admin/params";
import { linkServerSchema } from "@/lib/admin/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/http/manage-route";

/** Link (PUT) or unlink (DELETE) the instance's Hetzner server. */
export const PUT = staffRoute({ permission: "tenant.manage" }, async ({ req, ip, params, auth }) => {
  const id = instanceIdParam(params);
  const { hetzner_server_id } = await parseJsonBody(req, linkServerSchema);
  return linkServer({ principal: auth.principal, ip }, id, hetzner_server_id);
});

export const DELETE = staffRoute({ permission: "tenant.manage" }, async ({ ip, params, auth }) =>
  unlinkServer({ principal: auth.principal, ip }, instanceIdParam(params)),
);
