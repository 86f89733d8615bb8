import { getDomainConfiguration } from "@/lib/domains/service";
import { instanceRoute } from "@/lib/doors/manage/route";

export const GET = instanceRoute({ permission: "domain.read" }, async ({ auth, instance }) =>
  getDomainConfiguration(instance, auth.principal),
);
