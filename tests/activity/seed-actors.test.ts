/**
 * The demo's history names the same actors as the live system: provisioning
 * and health probes are background work (system actor), logins and the
 * reboot are the customer's admin.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activityLog, instances } from "@/db/schema";
import { useTestDatabase } from "../helpers/db";

const database = useTestDatabase();

describe("seeded activity", () => {
  it("attributes creation, provisioning and health events to the system, logins to the admin", async () => {
    const [acme] = await database.db().select().from(instances).where(eq(instances.name, "acme"));
    const entries = await database.db().select().from(activityLog).where(and(eq(activityLog.instanceId, acme.id)));
    const by = (action: string) => entries.filter((e) => e.action === action);
    for (const [action, name] of [
      ["instance.created", "System (Bereitstellung)"],
      ["server.provisioned", "System (Bereitstellung)"],
      ["server.health", "System (Erreichbarkeitsprüfung)"],
    ] as const) {
      expect(by(action).length).toBeGreaterThan(0);
      for (const e of by(action)) expect(e).toMatchObject({ actorType: "system", userId: null, actorName: name });
    }
    for (const e of by("manage.login")) expect(e).toMatchObject({ actorType: "user", actorName: "Thomas Becker" });
  });
});
