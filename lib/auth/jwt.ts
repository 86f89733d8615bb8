import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { config } from "@/lib/config";
import { AuthError } from "./errors";

/** The one algorithm we sign with and accept; `alg: none` and every other algorithm are refused. */
export const JWT_ALGORITHM = "HS256";

export type SigningKey = { kid: string; secret: Uint8Array };

/**
 * JWT_SIGNING_KEYS: comma-separated `kid:secret` pairs. The first key signs new
 * tokens; every listed key verifies, so a key can be rotated by putting the new
 * one first and dropping the old one once its tokens have expired.
 */
export function parseSigningKeys(value: string): SigningKey[] {
  const keys = value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const index = part.indexOf(":");
      if (index <= 0) throw new Error("JWT_SIGNING_KEYS: jeder Eintrag muss die Form kid:secret haben.");
      const kid = part.slice(0, index).trim();
      const secret = part.slice(index + 1).trim();
      if (secret.length < 32) throw new Error(`JWT_SIGNING_KEYS: der Schlüssel "${kid}" muss mindestens 32 Zeichen lang sein.`);
      return { kid, secret: new TextEncoder().encode(secret) };
    });
  if (keys.length === 0) throw new Error("JWT_SIGNING_KEYS enthält keinen Schlüssel.");
  return keys;
}

let cachedKeys: { source: string; keys: SigningKey[] } | undefined;
function signingKeys(): SigningKey[] {
  const source = config().JWT_SIGNING_KEYS;
  if (cachedKeys?.source !== source) cachedKeys = { source, keys: parseSigningKeys(source) };
  return cachedKeys.keys;
}

export type TokenUse = "access" | "refresh";

export type AccessClaims = {
  sub: string;
  /** The user's own tenant (instance UUID); null for MSP staff. */
  tenant_id: string | null;
  /** The tenant the token is limited to; null = every tenant (super-admin / MSP staff). */
  tenant_scope: string | null;
  /** The token family (login session) the token belongs to. */
  sid: string;
};

export async function signJwt(
  claims: Record<string, unknown> & { sub: string },
  use: TokenUse,
  ttlSeconds: number,
  options: { jti?: string; now?: number } = {},
): Promise<string> {
  const cfg = config();
  const [key] = signingKeys();
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const jwt = new SignJWT({ ...claims, token_use: use })
    .setProtectedHeader({ alg: JWT_ALGORITHM, typ: "JWT", kid: key.kid })
    .setIssuer(cfg.JWT_ISSUER)
    .setAudience(cfg.JWT_AUDIENCE)
    .setSubject(claims.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds);
  if (options.jti) jwt.setJti(options.jti);
  return jwt.sign(key.secret);
}

/**
 * Verifies signature (pinned algorithm, key by `kid`), issuer, audience, expiry
 * and issue time (not in the future) with the configured clock tolerance, and the token's use.
 */
export async function verifyJwt(token: string, use: TokenUse): Promise<JWTPayload & Record<string, unknown>> {
  const cfg = config();
  const keys = signingKeys();
  try {
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        if (header.alg !== JWT_ALGORITHM) throw new joseErrors.JOSEAlgNotAllowed("alg not allowed");
        const key = header.kid ? keys.find((k) => k.kid === header.kid) : undefined;
        if (!key) throw new joseErrors.JWKSNoMatchingKey("unknown kid");
        return key.secret;
      },
      {
        algorithms: [JWT_ALGORITHM],
        issuer: cfg.JWT_ISSUER,
        audience: cfg.JWT_AUDIENCE,
        clockTolerance: cfg.JWT_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["exp", "iat", "sub"],
      },
    );
    if (payload.token_use !== use) throw new AuthError(401, "invalid_token", "Der Token ist für diesen Zweck nicht gültig.");
    // jose does not check `iat`: a token "issued" in the future (a forged clock or a stolen key's experiment) is refused.
    if (typeof payload.iat !== "number" || payload.iat > Math.floor(Date.now() / 1000) + cfg.JWT_CLOCK_TOLERANCE_SECONDS) {
      throw new AuthError(401, "invalid_token", "Der Token ist ungültig (Ausstellungszeit liegt in der Zukunft).");
    }
    return payload as JWTPayload & Record<string, unknown>;
  } catch (error) {
    if (error instanceof AuthError) throw error;
    if (error instanceof joseErrors.JWTExpired) {
      throw new AuthError(401, "token_expired", "Der Token ist abgelaufen. Bitte mit dem Refresh-Token erneuern oder neu anmelden.");
    }
    throw new AuthError(401, "invalid_token", "Der Token ist ungültig.");
  }
}

export function looksLikeJwt(token: string) {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}
