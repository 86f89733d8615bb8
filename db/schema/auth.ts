import { sql } from "drizzle-orm";
import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";
/**
 * The auth domain's tables: portal sessions (manage API and browser), API v1
 * token families with their single-use refresh tokens, e-mail 2FA challenges,
 * personal access tokens, password reset tokens and rate-limit counters.
 * Every secret is stored only as a hash.
 */

/**
 * Why a session or token family ended: its own logout, "Überall abmelden",
 * ended from another device (`ended_elsewhere`), a password change, reuse of a
 * spent refresh token (families), the account deactivated by an admin.
 */
export const SESSION_REVOKE_REASONS = ["logout", "logout_all", "ended_elsewhere", "password_change", "deactivated"] as const;

/** Login sessions (manage API bearer tokens and browser sessions). Only the token's hash is kept. */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    kind: text("kind", { enum: ["api", "browser"] }).notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    /** Why it ended: the login page says "auf einem anderen Gerät beendet" for `ended_elsewhere` (migration 0026). */
    revokedReason: text("revoked_reason", { enum: SESSION_REVOKE_REASONS }),
    /** When this session last confirmed the password or a passkey ("sudo mode", `lib/auth/reauthentication.ts`). */
    reauthenticatedAt: timestamp("reauthenticated_at", { withTimezone: true }),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Single-use password reset (and invitation) tokens, hashed. */
export const passwordResetTokens = pgTable("password_reset_tokens", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  tokenHash: text("token_hash").notNull().unique(),
  purpose: text("purpose", { enum: ["reset", "invite"] }).notNull().default("reset"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
});

/** Fixed-window rate-limit counters, shared by every app process. */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  count: integer("count").notNull(),
});

/**
 * API v1 login sessions: one family per login. Every refresh rotates the
 * refresh token inside the family; reuse of a spent token revokes the family.
 * Access tokens carry the family id (`sid`), so a revoked family also ends
 * its access tokens at once.
 */
export const tokenFamilies = pgTable(
  "token_families",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedReason: text("revoked_reason", { enum: [...SESSION_REVOKE_REASONS, "reuse"] }),
    /** When this login session last confirmed the password or a passkey ("sudo mode"). */
    reauthenticatedAt: timestamp("reauthenticated_at", { withTimezone: true }),
  },
  (t) => [index("token_families_user_idx").on(t.userId)],
);

/** Single-use refresh tokens (only the SHA-256 of the token is stored). */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    familyId: uuid("family_id")
      .notNull()
      .references(() => tokenFamilies.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    /**
     * Who spent the token and what replaced it: the same client (address and
     * user agent) repeating the refresh within the reuse interval gets the same
     * new pair, re-derived from the server key (never stored) and checked
     * against the successor's hash.
     */
    usedIp: text("used_ip"),
    usedUserAgent: text("used_user_agent"),
    successorId: uuid("successor_id"),
    successorIat: bigint("successor_iat", { mode: "number" }),
  },
  (t) => [index("refresh_tokens_family_idx").on(t.familyId)],
);

/** E-mail 2FA: a challenge token (hashed) plus an 8-digit code (hashed), limited attempts; also the 6-digit test code of switching it on. */
export const twoFactorChallenges = pgTable(
  "two_factor_challenges",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    codeHash: text("code_hash").notNull(),
    /**
     * Where the login continues: API v1 tokens or a browser session; `email_setup` is
     * the test code that switches e-mail 2FA on (`lib/auth/email-two-factor.ts`), never a login.
     */
    purpose: text("purpose", { enum: ["api", "browser", "email_setup"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    ip: text("ip"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
  },
  (t) => [index("two_factor_challenges_user_idx").on(t.userId)],
);

/** Personal access tokens: shown once, stored hashed, recognisable by their prefix. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    scope: text("scope", { enum: ["read", "read_write"] }).notNull(),
    /** The first characters of the token (e.g. `mpat_AbC123`), to recognise it in lists. */
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_keys_user_idx").on(t.userId)],
);

/**
 * Authenticator-app 2FA (TOTP, RFC 6238). The secret must be readable to
 * check codes, so it is stored encrypted (AES-256-GCM, key derived from
 * AUTH_SECRET, `lib/auth/totp.ts`), never in clear. Off until the first code
 * was confirmed (`confirmed_at`); `last_used_step` refuses a code's replay.
 */
export const userTotp = pgTable("user_totp", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  secretEncrypted: text("secret_encrypted").notNull(),
  confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
  lastUsedStep: bigint("last_used_step", { mode: "number" }).notNull().default(0),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** WebAuthn passkeys: sign-in without password and second factor. Public keys are not secret. */
export const userPasskeys = pgTable(
  "user_passkeys",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** base64url credential id, as the browser reports it. */
    credentialId: text("credential_id").notNull().unique(),
    /** base64url COSE public key. */
    publicKey: text("public_key").notNull(),
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    transports: text("transports"),
    name: text("name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [index("user_passkeys_user_idx").on(t.userId)],
);

/** Ten one-time recovery codes per account, shown once; only their SHA-256 is kept. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("recovery_codes_user_idx").on(t.userId), uniqueIndex("recovery_codes_user_hash_uq").on(t.userId, t.codeHash)],
);

/**
 * WebAuthn challenges between "options" and "verify" (registration and
 * sign-in), in PostgreSQL so any app process can finish the ceremony. Single
 * use (`consumed_at`), short-lived.
 */
export const webauthnChallenges = pgTable("webauthn_challenges", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  /** Set for registration; null for a sign-in (the passkey names the user). */
  userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
  purpose: text("purpose", { enum: ["register", "authenticate"] }).notNull(),
  challenge: text("challenge").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  consumedAt: timestamp("consumed_at", { withTimezone: true }),
});

/**
 * Device cookies (OWASP "device cookies", `lib/auth/device-cookies.ts`): a
 * browser that signed in to the account before carries a signed cookie naming
 * the account and a nonce; only the nonce's SHA-256 is kept, so the cookie
 * can be checked and revoked here. A known device has its own login allowance.
 */
export const deviceCookies = pgTable(
  "device_cookies",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    nonceHash: text("nonce_hash").notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("device_cookies_user_idx").on(t.userId)],
);
