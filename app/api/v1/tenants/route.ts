import { parseQuery } from "@/lib/http/body";
import { v1Route } from "@/lib/doors/v1/route";
import { listTenants } from "@/lib/doors/v1/tenants";
import { pageQuery, z } from "@/lib/validation";

const tenantListQuery = z.object(pageQuery);

export const GET = v1Route({ permission: "tenant.read", staffOnly: true }, async ({ req }) => {
  const { page, per_page } = parseQuery(req, tenantListQuery);
  return listTenants({ page, perPage: per_page });
});
