import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import { logActivity } from "@/lib/activity";
import type { Principal } from "@/lib/auth/principal";
import { hashToken, randomToken } from "@/lib/crypto/tokens";
import { NotFoundError, ValidationError } from "@/lib/errors";

/** Personal access tokens start with this prefix (recognisable in logs and by secret scanners). */
export const PAT_PREFIX = "mpat_";
export type ApiKeyScope = "read" | "read_write";

export function isPat(token: string) {
  return token.startsWith(PAT_PREFIX);
}

export function presentApiKey(row: typeof apiKeys.$inferSelect) {
  const expired = row.expiresAt !== null && row.expiresAt.getTime() <= Date.now();
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    prefix: row.prefix,
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    expires_at: row.expiresAt?.toISOString() ?? null,
    status: row.revokedAt ? "revoked" : expired ? "expired" : "active",
  };
}

export async function createApiKey(principal: Principal, input: { name: string; scope: ApiKeyScope; expires_at: Date | null }, ip?: string) {
  if (input.expires_at && input.expires_at.getTime() <= Date.now()) {
    throw new ValidationError({ expires_at: ["Das Ablaufdatum muss in der Zukunft liegen."] });
  }
  const db = await getDb();
  const token = `${PAT_PREFIX}${randomToken()}`;
  const [row] = await db
    .insert(apiKeys)
    .values({
      userId: principal.userId,
      name: input.name,
      scope: input.scope,
      prefix: token.slice(0, PAT_PREFIX.length + 8),
      tokenHash: hashToken(token),
      expiresAt: input.expires_at,
    })
    .returning();
  await logActivity({
    instanceId: principal.instanceId,
    userId: principal.userId,
    actorName: principal.name,
    action: "api.key_created",
    description: `API-Schlüssel „${input.name}“ erstellt (${input.scope === "read" ? "nur lesen" : "lesen und schreiben"})`,
    metadata: { api_key_id: row.id },
    ip,
  });
  return { ...presentApiKey(row), token };
}

export async function listApiKeys(userId: string) {
  const db = await getDb();
  const rows = await db.select().from(apiKeys).where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt))).orderBy(desc(apiKeys.createdAt));
  return rows.map(presentApiKey);
}

export async function revokeApiKey(principal: Principal, id: string, ip?: string) {
  const db = await getDb();
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, principal.userId), isNull(apiKeys.revokedAt)))
    .returning();
  if (!row) throw new NotFoundError("API-Schlüssel nicht gefunden.");
  await logActivity({
    instanceId: principal.instanceId,
    userId: principal.userId,
    actorName: principal.name,
    action: "api.key_revoked",
    description: `API-Schlüssel „${row.name}“ widerrufen`,
    metadata: { api_key_id: row.id },
    ip,
  });
  return presentApiKey(row);
}

/** The live key of a token (not revoked, not expired, user active); touches last_used_at once a minute. */
export async function findApiKey(token: string) {
  const db = await getDb();
  const [row] = await db
    .select({ key: apiKeys, user: users })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(eq(apiKeys.tokenHash, hashToken(token)))
    .limit(1);
  if (!row || row.key.revokedAt || !row.user.active) return null;
  if (row.key.expiresAt && row.key.expiresAt.getTime() <= Date.now()) return null;
  if (!row.key.lastUsedAt || Date.now() - row.key.lastUsedAt.getTime() > 60_000) {
    await db.update(apiKeys).set({ lastUsedAt: sql`now()` }).where(eq(apiKeys.id, row.key.id));
  }
  return row;
}
