import { removeCustomDomain, setCustomDomain } from "@/lib/domains/service";
import { setDomainBody } from "@/lib/domains/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { instanceRoute } from "@/lib/doors/manage/route";
import { userActor } from "@/lib/activity";

export const PUT = instanceRoute({ permission: "domain.write" }, async ({ req, ip, auth, instance }) => {
  const body = await parseJsonBody(req, setDomainBody);
  return setCustomDomain(userActor(auth.principal, ip), { instance, kind: "portal", domain: body.domain });
});

export const DELETE = instanceRoute({ permission: "domain.write" }, async ({ ip, auth, instance }) =>
  removeCustomDomain(userActor(auth.principal, ip), { instance, kind: "portal" }),
);
