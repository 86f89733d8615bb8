import { userActor } from "@/lib/activity";
import { getDunningState } from "@/lib/dunning/pause";
import { sendDunningNow } from "@/lib/dunning/run";
import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";

/** "Jetzt mahnen": the next letter for the instance's overdue invoices, now. */
export const POST = staffRoute({ permission: "invoice.write" }, async ({ ip, params, auth }) => {
  const instanceId = intIdParam(params, "id", "Instanz nicht gefunden.");
  const sent = await sendDunningNow(userActor(auth.principal, ip), { instanceId });
  return { message: `${sent.stage_label} zu ${sent.invoice_number} versendet.`, sent, dunning: await getDunningState(instanceId) };
});
