import { eq } from "drizzle-orm";
import type { Db } from "./client";
import { userRoles, users } from "./schema";

/** Demo data of the staff area: a read-mostly MSP support member (idempotent). */
export async function seedAdmin(db: Db, passwordHash: string) {
  await db
    .insert(users)
    .values({ email: "support@myit.center", name: "Lukas Wagner", instanceId: null, passwordHash })
    .onConflictDoNothing({ target: users.email });
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, "support@myit.center"));
  await db.insert(userRoles).values({ userId: row.id, roleKey: "msp_support" }).onConflictDoNothing();
}
