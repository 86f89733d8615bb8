import { rotateRefreshToken } from "@/lib/auth/token-families";
import { bearerToken, unauthenticated } from "@/lib/doors/v1/auth";
import { v1Public } from "@/lib/doors/v1/route";

/**
 * Authorization: Bearer <refresh_token> → a new access and refresh token (the old refresh token is spent).
 * The same client (address and user agent) repeating it within 10 seconds gets the same new pair.
 */
export const POST = v1Public(async ({ req, ip }) => {
  const token = bearerToken(req);
  if (!token) throw unauthenticated("Bitte den Refresh-Token als Bearer-Token mitsenden.");
  return rotateRefreshToken(token, { ip, userAgent: req.headers.get("user-agent") });
});
