import { checkDomainCname } from "@/lib/domains/service";
import { parseJsonBody } from "@/lib/http/body";
import { instanceRoute } from "@/lib/doors/manage/route";
import { domainBody } from "@/lib/domains/schemas";

export const POST = instanceRoute({ permission: "domain.read" }, async ({ req, instance }) => {
  const body = await parseJsonBody(req, domainBody);
  return checkDomainCname(instance, body);
});
