import { principalActor } from "@/lib/activity";
import { presentImpersonation, startImpersonation, stopImpersonation } from "@/lib/auth/impersonation";
import { startImpersonationSchema } from "@/lib/admin/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";

/** "Ansicht als Kunde": the current read-only customer view of this session. */
export const GET = staffRoute({ permission: "tenant.read" }, async ({ impersonation }) => ({
  impersonation: presentImpersonation(impersonation),
}));

export const POST = staffRoute({ permission: "tenant.read", allowWhileImpersonating: true }, async ({ req, ip, auth }) => {
  const { instance_id } = await parseJsonBody(req, startImpersonationSchema);
  const impersonation = await startImpersonation(principalActor(auth.principal, ip), { instanceId: instance_id });
  return { message: `Ansicht als Kunde: ${impersonation.company_name} – nur lesen.`, impersonation };
});

export const DELETE = staffRoute({ permission: "tenant.read", allowWhileImpersonating: true }, async ({ ip, auth }) =>
  stopImpersonation(principalActor(auth.principal, ip)),
);
