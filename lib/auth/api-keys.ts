/**
 * Personal access tokens (`mpat_…`): shown once, stored hashed, listed with
 * prefix, last use and expiry, revocable. Scope `read` lets a door refuse
 * every write (API v1: 403 `insufficient_scope`).
 */
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import { recordActivity } from "@/lib/activity";
import { hashToken, randomToken } from "@/lib/crypto/tokens";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { apiTimestamp } from "@/lib/time";
import type { AuthActor } from "./principal";

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
    created_at: apiTimestamp(row.createdAt),
    last_used_at: apiTimestamp(row.lastUsedAt),
    expires_at: apiTimestamp(row.expiresAt),
    status: row.revokedAt ? ("revoked" as const) : expired ? ("expired" as const) : ("active" as const),
  };
}

export type ApiKeyView = ReturnType<typeof presentApiKey>;

export async function createApiKey(actor: AuthActor, input: { name: string; scope: ApiKeyScope; expires_at: Date | null }, options?: CommandOptions) {
  const { principal } = actor;
  if (input.expires_at && input.expires_at.getTime() <= Date.now()) {
    throw new ValidationError({ expires_at: ["Das Ablaufdatum muss in der Zukunft liegen."] });
  }
  const token = `${PAT_PREFIX}${randomToken()}`;
  const row = await inTransaction(options, async (tx) => {
    const [created] = await tx
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
    await recordActivity(tx, actor, {
      instanceId: principal.instanceId,
      action: "api.key_created",
      description: `API-Schlüssel „${input.name}“ erstellt (${input.scope === "read" ? "nur lesen" : "lesen und schreiben"})`,
      metadata: { api_key_id: created.id },
    });
    return created;
  });
  return { ...presentApiKey(row), token };
}

export async function listApiKeys(userId: string) {
  const db = await getDb();
  const rows = await db.select().from(apiKeys).where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt))).orderBy(desc(apiKeys.createdAt));
  return rows.map(presentApiKey);
}

export async function revokeApiKey(actor: AuthActor, input: { id: string }, options?: CommandOptions) {
  const { principal } = actor;
  const { id } = input;
  const row = await inTransaction(options, async (tx) => {
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, principal.userId), isNull(apiKeys.revokedAt)))
      .returning();
    if (!revoked) throw new NotFoundError("API-Schlüssel nicht gefunden.");
    await recordActivity(tx, actor, {
      instanceId: principal.instanceId,
      action: "api.key_revoked",
      description: `API-Schlüssel „${revoked.name}“ widerrufen`,
      metadata: { api_key_id: revoked.id },
    });
    return revoked;
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
