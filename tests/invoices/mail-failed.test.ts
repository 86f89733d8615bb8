import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { activityLog, instances, invoices, users } from "@/db/schema";
import { userActor } from "@/lib/activity";
import { issueInvoice } from "@/lib/invoices/commands";
import { createDraft } from "@/lib/invoices/drafts";
import { draftSchema } from "@/lib/invoices/schemas";
import { useTestDatabase } from "../helpers/db";
import { draftBody } from "./helpers";

// The mail queue refuses every message: the invoice is issued anyway, and the mail system logs the failure.
vi.mock("@/lib/mail", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/mail")>()),
  sendMail: vi.fn(async () => {
    throw new Error("Mail-Warteschlange nicht erreichbar");
  }),
}));

const database = useTestDatabase();

describe("invoice mail that cannot be queued", () => {
  it("keeps the issued invoice and logs invoice.mail_failed as the mail system, for staff only", async () => {
    const db = database.db();
    const [staff] = await db.select().from(users).where(eq(users.email, "msp-admin@myit.center"));
    const [acme] = await db.select({ id: instances.id }).from(instances).where(eq(instances.name, "acme"));
    const actor = userActor({ userId: staff!.id, name: staff!.name, staff: true }, "203.0.113.5");
    const { id } = await createDraft(draftSchema.parse(draftBody(acme!.id)), actor);

    const issued = await issueInvoice(id, actor);
    expect(issued.status).toBe("sent");
    const [row] = await db.select().from(invoices).where(eq(invoices.id, id));
    expect(row!.issuedAt).not.toBeNull();

    const logs = await db
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.action, "invoice.mail_failed"), sql`${activityLog.metadata}->>'invoice_id' = ${String(id)}`));
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      instanceId: null,
      actorType: "system",
      actorName: "System (Mailversand)",
      userId: null,
      level: "error",
      description: `Rechnung ${issued.invoice_number}: Versand an admin@firma.de fehlgeschlagen`,
    });
  });
});
