/**
 * DSGVO and legal retention: IP addresses are shortened after IP_RETENTION_DAYS;
 * issued invoices, their files and payments cannot be deleted — by any code path —
 * before the ten-year retention period (§147 AO, §14b UStG) ends.
 */
import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activityLog, instances, invoiceDocuments, invoicePayments, invoices, sessions, users } from "@/db/schema";
import { resultRows } from "@/db/types";
import { anonymiseOldIps } from "@/lib/jobs/housekeeping";
import { useTestDatabase } from "../helpers/db";

const database = useTestDatabase();
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
const yearsAgo = (years: number) => new Date(Date.now() - years * 365.25 * 86_400_000);

describe("IP anonymisation", () => {
  it("shortens IPv4 to /24 and IPv6 to /48 after the retention days, removes junk, and leaves recent rows alone", async () => {
    const db = database.db();
    const [user] = await db.select({ id: users.id }).from(users).limit(1);
    const logs = await db
      .insert(activityLog)
      .values([
        { instanceId: null, action: "manage.login", description: "alt v4", ip: "203.0.113.77", createdAt: daysAgo(91) },
        { instanceId: null, action: "manage.login", description: "alt v6", ip: "2001:db8:abcd:12:1:2:3:4", createdAt: daysAgo(120) },
        { instanceId: null, action: "manage.login", description: "alt kaputt", ip: "unbekannt", createdAt: daysAgo(200) },
        { instanceId: null, action: "manage.login", description: "neu", ip: "198.51.100.23", createdAt: daysAgo(10) },
      ])
      .returning({ id: activityLog.id, description: activityLog.description });
    await db.insert(sessions).values([
      { userId: user.id, tokenHash: "anon-old", kind: "api", ip: "192.0.2.99", createdAt: daysAgo(100), expiresAt: new Date(Date.now() + 3600_000) },
      { userId: user.id, tokenHash: "anon-new", kind: "api", ip: "192.0.2.98", expiresAt: new Date(Date.now() + 3600_000) },
    ]);

    expect(await anonymiseOldIps(db, 90)).toBe(4);
    const after = await db.select({ description: activityLog.description, ip: activityLog.ip }).from(activityLog).where(inArray(activityLog.id, logs.map((l) => l.id)));
    const ipOf = (d: string) => after.find((r) => r.description === d)?.ip;
    expect(ipOf("alt v4")).toBe("203.0.113.0");
    expect(ipOf("alt v6")).toBe("2001:db8:abcd::");
    expect(ipOf("alt kaputt")).toBeNull();
    expect(ipOf("neu")).toBe("198.51.100.23");
    const sess = await db.select({ h: sessions.tokenHash, ip: sessions.ip }).from(sessions).where(inArray(sessions.tokenHash, ["anon-old", "anon-new"]));
    expect(Object.fromEntries(sess.map((s) => [s.h, s.ip]))).toEqual({ "anon-old": "192.0.2.0", "anon-new": "192.0.2.98" });

    // Idempotent: nothing left to change.
    expect(await anonymiseOldIps(db, 90)).toBe(0);
  });
});

async function insertInvoice(issuedAt: Date | null, number: string) {
  const db = database.db();
  const [inst] = await db.select({ id: instances.id }).from(instances).limit(1);
  const [row] = await db
    .insert(invoices)
    .values({
      instanceId: inst.id,
      title: "Test",
      invoiceNumber: issuedAt ? number : null,
      invoiceDate: issuedAt ? issuedAt.toISOString().slice(0, 10) : null,
      servicePeriodStart: "2014-01-01",
      servicePeriodEnd: "2014-01-31",
      recipient: { name: "Test", address: [] } as never,
      issuedAt,
    })
    .returning({ id: invoices.id });
  return row.id;
}

/** The database's own message (drizzle wraps it as the cause of "Failed query"). */
async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as Error & { cause?: Error },
  );
  expect(error, "the statement should have been refused").not.toBeNull();
  return error!.cause?.message ?? error!.message;
}

async function deleteRefused(promise: Promise<unknown>) {
  expect(await refusal(promise)).toMatch(/aufzubewahren|unveränderlich/);
}

describe("retention of invoices, files and payments (database trigger)", () => {
  it("refuses to delete an issued invoice, its payment and its e-invoice file within ten years", async () => {
    const db = database.db();
    const id = await insertInvoice(new Date(), `RE-T-${Date.now()}`);
    const [payment] = await db.insert(invoicePayments).values({ invoiceId: id, paymentDate: "2026-01-01", amountCents: 100, method: "bank_transfer" } as never).returning({ id: invoicePayments.id });
    const [doc] = await db.insert(invoiceDocuments).values({ invoiceId: id, kind: "cii_xml", bytes: Buffer.from("<x/>"), sha256: "2a31f44da4bd7decbbd3ddfd1a37ae04d02ec665e2c2688816ccc65631586ed1" /* sha256 of the bytes (checked by the database) */ }).returning({ id: invoiceDocuments.id });

    await deleteRefused(db.delete(invoicePayments).where(eq(invoicePayments.id, payment.id)));
    await deleteRefused(db.delete(invoiceDocuments).where(eq(invoiceDocuments.id, doc.id)));
    expect(await refusal(db.delete(invoices).where(eq(invoices.id, id)))).toMatch(/ist bis \d\d\.\d\d\.\d{4} aufzubewahren \(§147 AO, §14b UStG\)/);
    expect(await db.select().from(invoices).where(eq(invoices.id, id))).toHaveLength(1);
    // Changes stay refused as before.
    await deleteRefused(db.update(invoicePayments).set({ amountCents: 1 }).where(eq(invoicePayments.id, payment.id)));
  });

  it("refuses deletion until the end of the tenth year after the year of issue, then allows it", async () => {
    const db = database.db();
    // Issued nine and a half years ago: still within the period.
    const recent = await insertInvoice(yearsAgo(9.5), `RE-T9-${Date.now()}`);
    await deleteRefused(db.delete(invoices).where(eq(invoices.id, recent)));

    // Issued twelve years ago, with a payment and a file booked then: the period is over.
    const old = await insertInvoice(yearsAgo(12), `RE-T12-${Date.now()}`);
    await db.insert(invoicePayments).values({ invoiceId: old, paymentDate: "2014-02-01", amountCents: 100, method: "bank_transfer", createdAt: yearsAgo(12) } as never);
    await db.insert(invoiceDocuments).values({ invoiceId: old, kind: "cii_xml", bytes: Buffer.from("<x/>"), sha256: "2a31f44da4bd7decbbd3ddfd1a37ae04d02ec665e2c2688816ccc65631586ed1" /* sha256 of the bytes (checked by the database) */, createdAt: yearsAgo(12) });
    await db.delete(invoicePayments).where(eq(invoicePayments.invoiceId, old));
    await db.delete(invoiceDocuments).where(eq(invoiceDocuments.invoiceId, old));
    await db.delete(invoices).where(eq(invoices.id, old));
    expect(await db.select().from(invoices).where(eq(invoices.id, old))).toHaveLength(0);
  });

  it("still lets staff delete a draft", async () => {
    const db = database.db();
    const draft = await insertInvoice(null, "");
    await db.delete(invoices).where(eq(invoices.id, draft));
    expect(await db.select().from(invoices).where(eq(invoices.id, draft))).toHaveLength(0);
  });

  it("counts the ten years from the end of the calendar year of issue", async () => {
    const result = await database.db().execute(sql`select to_char(retention_ends_at('2026-03-04T10:00:00Z'::timestamptz) at time zone 'UTC', 'YYYY-MM-DD') as ends`);
    expect(resultRows<{ ends: string }>(result)[0].ends).toBe("2037-01-01");
  });
});
