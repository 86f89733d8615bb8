import { reapplyDomains } from "@/lib/domains/service";
import { instanceRoute } from "@/lib/doors/manage/route";
import { userActor } from "@/lib/activity";

/** Retry: pushes the saved domain configuration to the instance server again. */
export const POST = instanceRoute({ permission: "domain.write" }, async ({ ip, auth, instance }) =>
  reapplyDomains(userActor(auth.principal, ip), { instance }),
);
