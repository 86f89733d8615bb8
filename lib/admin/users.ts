import { and, asc, count, eq, ilike, inArray, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { instances, passwordResetTokens, recoveryCodes, roles, userPasskeys, userRoles, users, userTotp } from "@/db/schema";
import { paginationMeta, recordActivity } from "@/lib/activity";
import { uniqueViolation } from "@/db/errors";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx } from "@/db/types";
import { randomToken } from "@/lib/crypto/tokens";
import { isUuid } from "@/lib/http/params";
import { discardEmailConfirmations } from "@/lib/auth/email-two-factor";
import { issuePasswordToken } from "@/lib/auth/passwords-flow";
import { revokeUserSessions } from "@/lib/auth/sessions";
import { config } from "@/lib/config";
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from "@/lib/errors";
import { enqueueMail } from "@/lib/mail";
import { apiTimestamp } from "@/lib/time";
import type { z } from "@/lib/validation";
import type { Actor } from "./instances";
import { invitationMail } from "./mail";
import type { inviteUserSchema, listUsersQuery } from "./schemas";

type UserRow = typeof users.$inferSelect;

/** Only these columns ever leave the service: never the password hash. */
const publicColumns = {
  id: users.id,
  instanceId: users.instanceId,
  email: users.email,
  name: users.name,
  active: users.active,
  twoFactorEnabled: users.twoFactorEnabled,
  totpEnabled: sql<boolean>`exists (select 1 from ${userTotp} where ${userTotp.userId} = ${users.id} and ${userTotp.confirmedAt} is not null)`,
  passkeyCount: sql<number>`(select count(*)::int from ${userPasskeys} where ${userPasskeys.userId} = ${users.id})`,
  recoveryCodesRemaining: sql<number>`(select count(*)::int from ${recoveryCodes} where ${recoveryCodes.userId} = ${users.id} and ${recoveryCodes.usedAt} is null)`,
  invited: sql<boolean>`${users.passwordHash} is null`,
  lastLoginAt: users.lastLoginAt,
  createdAt: users.createdAt,
};

type PublicUser = {
  id: string;
  instanceId: number | null;
  email: string;
  name: string;
  active: boolean;
  twoFactorEnabled: boolean;
  totpEnabled: unknown;
  passkeyCount: unknown;
  recoveryCodesRemaining: unknown;
  invited: unknown;
  lastLoginAt: Date | null;
  createdAt: Date;
};

async function rolesOf(userIds: string[], db?: DbOrTx) {
  if (userIds.length === 0) return new Map<string, { key: string; label: string }[]>();
  db ??= await getDb();
  const rows = await db
    .select({ userId: userRoles.userId, key: roles.key, label: roles.label })
    .from(userRoles)
    .innerJoin(roles, eq(roles.key, userRoles.roleKey))
    .where(inArray(userRoles.userId, userIds))
    .orderBy(asc(roles.key));
  const map = new Map<string, { key: string; label: string }[]>();
  for (const r of rows) map.set(r.userId, [...(map.get(r.userId) ?? []), { key: r.key, label: r.label }]);
  return map;
}

/**
 * The user's second factors for the staff view (issue 14): e-mail 2FA, the
 * authenticator app, passkeys and the recovery codes left. Recovery codes
 * count only beside app or passkey (as in `secondFactorStatus`).
 */
function secondFactorsOf(u: PublicUser) {
  const totp = u.totpEnabled === true || u.totpEnabled === "t";
  const passkeys = Number(u.passkeyCount ?? 0);
  const recovery = totp || passkeys > 0 ? Number(u.recoveryCodesRemaining ?? 0) : 0;
  const factors = { email: u.twoFactorEnabled, totp, passkeys, recovery_codes_remaining: recovery };
  const labels = [
    ...(factors.email ? ["E-Mail"] : []),
    ...(totp ? ["App"] : []),
    ...(passkeys > 0 ? [`Passkeys (${passkeys})`] : []),
    ...(totp || passkeys > 0 ? [`Wiederherstellungscodes (${recovery} übrig)`] : []),
  ];
  return { factors, labels };
}

function presentUser(u: PublicUser, roleList: { key: string; label: string }[], instanceName: string | null = null) {
  const invited = u.invited === true || u.invited === "t";
  const secondFactors = secondFactorsOf(u);
  const status = !u.active ? "deactivated" : invited ? "invited" : "active";
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    instance_id: u.instanceId,
    instance_name: instanceName,
    staff: u.instanceId === null,
    status,
    status_label: { deactivated: "Deaktiviert", invited: "Eingeladen", active: "Aktiv" }[status],
    active: u.active,
    two_factor_enabled: u.twoFactorEnabled,
    /** Which sign-in methods beyond the password the user has (staff view, issue 14), as German labels. */
    sign_in_methods: secondFactors.labels,
    /** The same, as values: e-mail 2FA, app, number of passkeys, recovery codes left. */
    second_factors: secondFactors.factors,
    roles: roleList,
    last_login_at: apiTimestamp(u.lastLoginAt),
    created_at: apiTimestamp(u.createdAt),
  };
}

export async function listUsers(query: z.infer<typeof listUsersQuery>) {
  const db = await getDb();
  const where: SQL[] = [];
  if (query.instance_id) where.push(eq(users.instanceId, query.instance_id));
  else if (query.scope === "staff") where.push(isNull(users.instanceId));
  else if (query.scope === "customer") where.push(isNotNull(users.instanceId));
  if (query.search) {
    const like = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(users.email, like), ilike(users.name, like))!);
  }
  const condition = where.length ? and(...where) : undefined;
  const [{ total }] = await db.select({ total: count() }).from(users).where(condition);
  const rows = await db
    .select({ ...publicColumns, instanceName: instances.name })
    .from(users)
    .leftJoin(instances, eq(instances.id, users.instanceId))
    .where(condition)
    .orderBy(asc(users.email))
    .limit(query.per_page)
    .offset((query.page - 1) * query.per_page);
  const roleMap = await rolesOf(rows.map((r) => r.id));
  return {
    users: rows.map((r) => presentUser(r, roleMap.get(r.id) ?? [], r.instanceName)),
    meta: paginationMeta(query.page, query.per_page, total),
  };
}

export async function listRoles() {
  const db = await getDb();
  const rows = await db.select().from(roles).orderBy(asc(roles.staff), asc(roles.key));
  return { roles: rows.map((r) => ({ key: r.key, label: r.label, staff: r.staff, permissions: r.permissions })) };
}

async function loadUser(userId: string, db?: DbOrTx): Promise<UserRow> {
  if (!isUuid(userId)) throw new NotFoundError("Benutzer nicht gefunden.");
  db ??= await getDb();
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new NotFoundError("Benutzer nicht gefunden.");
  return user;
}

async function presentById(userId: string, db?: DbOrTx) {
  db ??= await getDb();
  const [row] = await db
    .select({ ...publicColumns, instanceName: instances.name })
    .from(users)
    .leftJoin(instances, eq(instances.id, users.instanceId))
    .where(eq(users.id, userId));
  const roleMap = await rolesOf([userId], db);
  return presentUser(row, roleMap.get(userId) ?? [], row.instanceName);
}

/** Roles must exist and fit the user: staff roles for MSP staff, customer roles for customers. */
async function assertRoles(keys: string[], staff: boolean, db?: DbOrTx) {
  db ??= await getDb();
  const unique = [...new Set(keys)];
  const found = await db.select().from(roles).where(inArray(roles.key, unique));
  const unknown = unique.filter((k) => !found.some((r) => r.key === k));
  if (unknown.length) throw new ValidationError({ roles: [`Unbekannte Rolle: ${unknown.join(", ")}.`] });
  const wrong = found.filter((r) => r.staff !== staff);
  if (wrong.length) {
    throw new ValidationError({
      roles: [
        staff
          ? `Mitarbeiter können nur MSP-Rollen erhalten (nicht: ${wrong.map((r) => r.label).join(", ")}).`
          : `Kundenbenutzer können keine MSP-Rollen erhalten (nicht: ${wrong.map((r) => r.label).join(", ")}).`,
      ],
    });
  }
  return found;
}

function inviteLink(token: string, email: string) {
  return `${config().APP_URL}/passwort-zuruecksetzen?token=${encodeURIComponent(token)}&email=${encodeURIComponent(email)}&einladung=1`;
}

export const INVITATION_MAIL_KEY = "invite:";

/** A fresh invitation link (older ones end); in the caller's transaction when given. */
export async function sendInvitation(actor: Actor, user: { id: string; email: string; name: string; instanceId: number | null }, options?: CommandOptions) {
  const db = options?.tx ?? (await getDb());
  let context = "als Mitarbeiter des MSP";
  if (user.instanceId !== null) {
    const [inst] = await db.select({ companyName: instances.companyName }).from(instances).where(eq(instances.id, user.instanceId));
    context = `für ${inst?.companyName ?? "Ihre Instanz"}`;
  }
  const hours = config().INVITE_TOKEN_TTL_HOURS;
  // The new link, the end of the older ones and the mail commit together.
  const run = async (tx: DbOrTx) => {
    await tx
      .update(passwordResetTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(passwordResetTokens.userId, user.id), eq(passwordResetTokens.purpose, "invite"), isNull(passwordResetTokens.usedAt)));
    const token = await issuePasswordToken(user.id, "invite", hours * 60, tx);
    return enqueueMail(
      tx,
      invitationMail({ to: user.email, name: user.name, link: inviteLink(token, user.email), validHours: hours, inviter: actor.principal.name, context }),
      `${INVITATION_MAIL_KEY}${user.id}:${randomToken(8)}`,
    );
  };
  return inTransaction(options, run);
}

/**
 * Invites a user by e-mail: the account has no password until the invitee sets
 * one through the single-use, expiring link. instanceId null = MSP staff.
 */
export async function inviteUser(actor: Actor, input: z.infer<typeof inviteUserSchema> & { instanceId: number | null }, options?: CommandOptions) {
  const { instanceId } = input;
  const db = options?.tx ?? (await getDb());
  if (instanceId !== null) {
    const [inst] = await db.select({ id: instances.id }).from(instances).where(eq(instances.id, instanceId));
    if (!inst) throw new NotFoundError("Instanz nicht gefunden.");
  }
  await assertRoles(input.roles, instanceId === null, db);
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (existing) throw new ValidationError({ email: ["Für diese E-Mail-Adresse gibt es bereits ein Konto."] });
  let created: { id: string };
  try {
    created = await inTransaction(options, async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({ email: input.email, name: input.name, instanceId, passwordHash: null, active: true })
        .returning({ id: users.id });
      await tx.insert(userRoles).values([...new Set(input.roles)].map((roleKey) => ({ userId: row.id, roleKey })));
      await recordActivity(tx, actor, {
        instanceId,
        action: "admin.user_invited",
        description: `${instanceId === null ? "Mitarbeiter" : "Benutzer"} ${input.email} eingeladen, Rollen: ${input.roles.join(", ")}`,
        metadata: { user_id: row.id, email: input.email, roles: input.roles },
      });
      return row;
    });
  } catch (error) {
    if (uniqueViolation(error)) throw new ValidationError({ email: ["Für diese E-Mail-Adresse gibt es bereits ein Konto."] });
    throw error;
  }
  await sendInvitation(actor, { id: created.id, email: input.email, name: input.name, instanceId }, options);
  return { message: `Einladung an ${input.email} gesendet.`, user: await presentById(created.id, db) };
}

export async function resendInvitation(actor: Actor, input: { userId: string }, options?: CommandOptions) {
  const db = options?.tx ?? (await getDb());
  const user = await loadUser(input.userId, db);
  if (user.passwordHash) throw new UnprocessableError("Dieser Benutzer hat die Einladung bereits angenommen.");
  if (!user.active) throw new UnprocessableError("Der Benutzer ist deaktiviert.");
  await sendInvitation(actor, user, options);
  await recordActivity(db, actor, {
    instanceId: user.instanceId,
    action: "admin.user_invitation_resent",
    description: `Einladung an ${user.email} erneut gesendet`,
    metadata: { user_id: user.id },
  });
  return { message: `Einladung an ${user.email} erneut gesendet.`, user: await presentById(user.id, db) };
}

function assertNotSelf(actor: Actor, user: UserRow, what: string) {
  if (actor.principal.userId === user.id) throw new UnprocessableError(`Sie können ${what} nicht für Ihr eigenes Konto ausführen.`);
}

export async function setUserRoles(actor: Actor, input: { userId: string; roles: string[] }, options?: CommandOptions) {
  const db = options?.tx ?? (await getDb());
  const user = await loadUser(input.userId, db);
  assertNotSelf(actor, user, "Rollenänderungen");
  const found = await assertRoles(input.roles, user.instanceId === null, db);
  await inTransaction(options, async (tx) => {
    await tx.delete(userRoles).where(eq(userRoles.userId, user.id));
    await tx.insert(userRoles).values(found.map((r) => ({ userId: user.id, roleKey: r.key })));
    await recordActivity(tx, actor, {
      instanceId: user.instanceId,
      action: "admin.user_roles_changed",
      description: `Rollen von ${user.email} geändert: ${found.map((r) => r.label).join(", ")}`,
      metadata: { user_id: user.id, roles: found.map((r) => r.key) },
    });
  });
  return { message: "Rollen gespeichert.", user: await presentById(user.id, db) };
}

/** Deactivates the account and ends all of its sessions at once (after the commit, or in the caller's `options.tx`). */
export async function deactivateUser(actor: Actor, input: { userId: string }, options?: CommandOptions) {
  const db = options?.tx ?? (await getDb());
  const user = await loadUser(input.userId, db);
  assertNotSelf(actor, user, "die Deaktivierung");
  await inTransaction(options, async (tx) => {
    const [updated] = await tx
      .update(users)
      .set({ active: false, updatedAt: new Date() })
      .where(and(eq(users.id, user.id), eq(users.active, true)))
      .returning({ id: users.id });
    if (!updated) throw new ConflictError("Der Benutzer ist bereits deaktiviert.");
    await recordActivity(tx, actor, {
      instanceId: user.instanceId,
      action: "admin.user_deactivated",
      description: `Benutzer ${user.email} deaktiviert, alle Sitzungen beendet`,
      metadata: { user_id: user.id },
    });
  });
  await revokeUserSessions(user.id, { reason: "deactivated", tx: options?.tx });
  return { message: "Benutzer deaktiviert, alle Sitzungen beendet.", user: await presentById(user.id, db) };
}

export async function activateUser(actor: Actor, input: { userId: string }, options?: CommandOptions) {
  const db = options?.tx ?? (await getDb());
  const user = await loadUser(input.userId, db);
  await inTransaction(options, async (tx) => {
    const [updated] = await tx
      .update(users)
      .set({ active: true, updatedAt: new Date() })
      .where(and(eq(users.id, user.id), eq(users.active, false)))
      .returning({ id: users.id });
    if (!updated) throw new ConflictError("Der Benutzer ist bereits aktiv.");
    await recordActivity(tx, actor, {
      instanceId: user.instanceId,
      action: "admin.user_activated",
      description: `Benutzer ${user.email} wieder aktiviert`,
      metadata: { user_id: user.id },
    });
  });
  return { message: "Benutzer aktiviert.", user: await presentById(user.id, db) };
}

export async function resetTwoFactor(actor: Actor, input: { userId: string }, options?: CommandOptions) {
  const db = options?.tx ?? (await getDb());
  const user = await loadUser(input.userId, db);
  await inTransaction(options, async (tx) => {
    await tx.update(users).set({ twoFactorEnabled: false, updatedAt: new Date() }).where(eq(users.id, user.id));
    // Every second factor goes: app, passkeys, recovery codes and an open e-mail confirmation (the user sets them up again).
    await tx.delete(userTotp).where(eq(userTotp.userId, user.id));
    await tx.delete(userPasskeys).where(eq(userPasskeys.userId, user.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    await discardEmailConfirmations(tx, user.id);
    await recordActivity(tx, actor, {
      instanceId: user.instanceId,
      action: "admin.user_2fa_reset",
      description: `Zwei-Faktor-Anmeldung von ${user.email} zurückgesetzt`,
      metadata: { user_id: user.id, was_enabled: user.twoFactorEnabled },
    });
  });
  return { message: "Zwei-Faktor-Anmeldung zurückgesetzt.", user: await presentById(user.id, db) };
}
