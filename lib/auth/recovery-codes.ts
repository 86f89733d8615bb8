/**
 * Recovery codes: ten one-time codes (`abcde-fghjk`, 50 bits each) shown once
 * when an authenticator app or passkey is set up (or on request). Only their
 * SHA-256 is kept — high-entropy codes need no slow hash, and the check is
 * rate limited. Using one is a conditional UPDATE (`used_at IS NULL …
 * RETURNING`), so a code works exactly once even under concurrency.
 * New codes replace all earlier ones.
 */
import { randomInt } from "node:crypto";
import { and, count, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { recoveryCodes } from "@/db/schema";
import type { DbOrTx } from "@/db/types";
import { hashToken } from "@/lib/crypto/tokens";

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i
export const RECOVERY_CODE_PATTERN = /^[a-z0-9]{5}-?[a-z0-9]{5}$/i;

function oneCode() {
  const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(0, ALPHABET.length)]);
  return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`;
}

export function normalizeRecoveryCode(code: string) {
  return code.trim().toLowerCase().replace(/[\s-]+/g, "");
}

function codeHash(userId: string, code: string) {
  return hashToken(`recovery:${userId}:${normalizeRecoveryCode(code)}`);
}

export function looksLikeRecoveryCode(code: string) {
  return RECOVERY_CODE_PATTERN.test(code.trim());
}

/** Replaces the user's codes with ten new ones; returns them in clear (shown once). */
export async function replaceRecoveryCodes(tx: DbOrTx, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, oneCode);
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.insert(recoveryCodes).values(codes.map((code) => ({ userId, codeHash: codeHash(userId, code) })));
  return codes;
}

/** Uses a code: true exactly once per code, whatever runs in parallel. */
export async function consumeRecoveryCode(userId: string, code: string, tx?: DbOrTx): Promise<boolean> {
  if (!looksLikeRecoveryCode(code)) return false;
  const db = tx ?? (await getDb());
  const used = await db
    .update(recoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash(userId, code)), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return used.length === 1;
}

export async function remainingRecoveryCodes(userId: string, tx?: DbOrTx): Promise<number> {
  const db = tx ?? (await getDb());
  const [row] = await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return Number(row?.n ?? 0);
}

export async function deleteRecoveryCodes(tx: DbOrTx, userId: string) {
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
}

/** Was this code one of the account's, already used? (The login says so instead of "falsch".) */
export async function recoveryCodeAlreadyUsed(userId: string, code: string, tx?: DbOrTx): Promise<boolean> {
  if (!looksLikeRecoveryCode(code)) return false;
  const db = tx ?? (await getDb());
  const [row] = await db
    .select({ id: recoveryCodes.id })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash(userId, code)), isNotNull(recoveryCodes.usedAt)))
    .limit(1);
  return Boolean(row);
}

export const RECOVERY_CODE_USED_MESSAGE = "Dieser Wiederherstellungscode wurde bereits verwendet. Jeder Code gilt nur einmal – bitte einen anderen eingeben.";

/** The account page's notice after a sign-in with a recovery code: how many are left, what to do next. */
export function recoveryLoginNotice(remaining: number): { title: string; text: string; low: boolean } {
  const left =
    remaining === 0
      ? "Sie haben keine Wiederherstellungscodes mehr."
      : remaining === 1
        ? "Sie haben noch 1 Wiederherstellungscode."
        : `Sie haben noch ${remaining} Wiederherstellungscodes.`;
  const low = remaining <= 3;
  return {
    title: "Angemeldet mit einem Wiederherstellungscode",
    text: `${left} Jeder Code gilt nur einmal.${low ? " Erzeugen Sie bald neue Codes." : ""} Haben Sie das Gerät mit Ihrer Authenticator-App verloren, richten Sie die App jetzt neu ein.`,
    low,
  };
}
