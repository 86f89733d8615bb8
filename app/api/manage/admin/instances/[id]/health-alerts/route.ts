import { userActor } from "@/lib/activity";
import { getHealthAlerts, healthAlertsBody, setHealthAlerts } from "@/lib/health/opt-in";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";

const NOT_FOUND = "Instanz nicht gefunden.";

export const GET = staffRoute({ permission: "tenant.read" }, async ({ params }) => getHealthAlerts(intIdParam(params, "id", NOT_FOUND)));

/** Whether the customer's admins also get the instance's health alert and recovery mails. */
export const PUT = staffRoute({ permission: "tenant.manage" }, async ({ req, ip, params, auth }) => {
  const instanceId = intIdParam(params, "id", NOT_FOUND);
  const { customer_alerts } = await parseJsonBody(req, healthAlertsBody);
  const result = await setHealthAlerts(userActor(auth.principal, ip), { instanceId, enabled: customer_alerts });
  return { message: customer_alerts ? "Die Kunden-Admins werden bei Störungen benachrichtigt." : "Störungsmeldungen gehen nur an den MSP.", ...result };
});
