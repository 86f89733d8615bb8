/**
 * Whether the customer's admins also get the health alert and recovery mails
 * of their instance (MSP staff always do). Set by staff per instance.
 */
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx } from "@/db/types";
import { instanceHealth, instances } from "@/db/schema";
import { recordActivity, type Actor } from "@/lib/activity";
import { NotFoundError } from "@/lib/errors";
import { z } from "@/lib/validation";
import { setCustomerAlerts } from "./alerts";

export const healthAlertsBody = z.object({
  customer_alerts: z.boolean({ error: "Bitte angeben, ob die Kunden-Admins benachrichtigt werden (true oder false)." }),
});

async function assertInstance(instanceId: number, db?: DbOrTx) {
  db ??= await getDb();
  const [row] = await db.select({ id: instances.id }).from(instances).where(eq(instances.id, instanceId));
  if (!row) throw new NotFoundError("Instanz nicht gefunden.");
}

export async function getHealthAlerts(instanceId: number) {
  await assertInstance(instanceId);
  const db = await getDb();
  const [row] = await db.select({ notify: instanceHealth.notifyCustomer }).from(instanceHealth).where(eq(instanceHealth.instanceId, instanceId));
  return { customer_alerts: row?.notify ?? false };
}

export async function setHealthAlerts(actor: Actor, input: { instanceId: number; enabled: boolean }, options?: CommandOptions) {
  const { instanceId, enabled } = input;
  await assertInstance(instanceId, options?.tx);
  await inTransaction(options, async (tx) => {
    await setCustomerAlerts(tx, instanceId, enabled);
    await recordActivity(tx, actor, {
      instanceId,
      action: "instance.health_alerts_changed",
      description: enabled
        ? "Störungsmeldungen gehen jetzt auch an die Kunden-Admins"
        : "Störungsmeldungen gehen nur noch an den MSP",
      metadata: { customer_alerts: enabled },
    });
  });
  return { customer_alerts: enabled };
}
