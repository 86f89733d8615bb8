import { userActor } from "@/lib/activity";
import { getDunningState, pauseDunning, resumeDunning } from "@/lib/dunning/pause";
import { pauseBody } from "@/lib/dunning/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";

const NOT_FOUND = "Instanz nicht gefunden.";

export const GET = staffRoute({ permission: "invoice.read" }, async ({ params }) => {
  return { dunning: await getDunningState(intIdParam(params, "id", NOT_FOUND)) };
});

/** Pauses dunning for the instance (no mails, no automatic suspension); `note` is required. */
export const PUT = staffRoute({ permission: "invoice.write" }, async ({ req, ip, params, auth }) => {
  const instanceId = intIdParam(params, "id", NOT_FOUND);
  const { note } = await parseJsonBody(req, pauseBody);
  return { message: "Mahnwesen pausiert.", dunning: await pauseDunning(userActor(auth.principal, ip), { instanceId, note }) };
});

export const DELETE = staffRoute({ permission: "invoice.write" }, async ({ ip, params, auth }) => {
  const instanceId = intIdParam(params, "id", NOT_FOUND);
  return { message: "Mahnwesen fortgesetzt.", dunning: await resumeDunning(userActor(auth.principal, ip), { instanceId }) };
});
