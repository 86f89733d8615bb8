/**
 * Readable devices for the session list and the new-device mail: the user
 * agent parsed with ua-parser-js into "Chrome auf Linux". The label is
 * derived when read, so no column can drift from the stored user agent.
 * The approximate place of the IP comes from the local GeoIP database when
 * one is configured (`approximateLocation`, geo-location.ts); never from the
 * network.
 *
 * New device: a browser login whose device label none of the account's
 * earlier sessions or API v1 logins had. Unknown agents (scripts, tests
 * without a browser) and an account's very first login send no mail.
 */
import { and, eq, ne } from "drizzle-orm";
import { UAParser } from "ua-parser-js";
import { sessions, tokenFamilies } from "@/db/schema";
import type { DbOrTx } from "@/db/types";
import { config } from "@/lib/config";
import { enqueueMail } from "@/lib/mail";
import { escapeHtml } from "@/lib/mail/templates";
import { approximateLocation } from "./geo-location";

export const UNKNOWN_DEVICE = "Unbekanntes Gerät";

/** "Chrome auf Linux", "Firefox auf Windows", or null when the agent names no browser. */
export function deviceLabel(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  const result = new UAParser(userAgent).getResult();
  const browser = result.browser.name?.replace(/^Chrome Headless$/, "Chrome").replace(/^Mobile /, "");
  if (!browser) return null;
  const os = result.os.name;
  return os ? `${browser} auf ${os}` : browser;
}

/** True when a login from this agent is the first of its device label for the account (and not its first login at all). */
export async function isNewDevice(tx: DbOrTx, userId: string, userAgent: string | null | undefined, exceptSessionId?: string): Promise<boolean> {
  const label = deviceLabel(userAgent);
  if (!label) return false;
  const earlier = await tx
    .select({ ua: sessions.userAgent })
    .from(sessions)
    .where(exceptSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId)) : eq(sessions.userId, userId));
  const families = await tx.select({ ua: tokenFamilies.userAgent }).from(tokenFamilies).where(eq(tokenFamilies.userId, userId));
  const all = [...earlier, ...families];
  if (all.length === 0) return false;
  return !all.some((row) => deviceLabel(row.ua) === label);
}

/** Queues the "new sign-in" mail in the login's transaction. */
export async function queueNewDeviceMail(
  tx: DbOrTx,
  user: { email: string; name: string },
  meta: { ip?: string | null; userAgent?: string | null; at?: Date },
) {
  const device = deviceLabel(meta.userAgent) ?? UNKNOWN_DEVICE;
  const at = (meta.at ?? new Date()).toLocaleString("de-DE", { timeZone: "Europe/Berlin" });
  const link = `${config().APP_URL}/konto/sitzungen`;
  const location = await approximateLocation(meta.ip);
  const place = location ? `${location} (ungefähr, aus der IP-Adresse)` : null;
  const text = [
    `Hallo ${user.name},`,
    "",
    "Ihr Konto im Manage-Portal wurde gerade auf einem neuen Gerät angemeldet:",
    "",
    `    Gerät: ${device}`,
    ...(place ? [`    Ort: ${place}`] : []),
    `    IP-Adresse: ${meta.ip ?? "unbekannt"}`,
    `    Zeit: ${at}`,
    "",
    `Waren Sie das nicht? Beenden Sie die Sitzung unter ${link} und ändern Sie Ihr Passwort.`,
    "",
    "Viele Grüße",
    "Ihr Manage-Portal-Team",
  ].join("\n");
  const html = `<p>Hallo ${escapeHtml(user.name)},</p>
<p>Ihr Konto im Manage-Portal wurde gerade auf einem neuen Gerät angemeldet:</p>
<ul><li>Gerät: ${escapeHtml(device)}</li>${place ? `<li>Ort: ${escapeHtml(place)}</li>` : ""}<li>IP-Adresse: ${escapeHtml(meta.ip ?? "unbekannt")}</li><li>Zeit: ${escapeHtml(at)}</li></ul>
<p>Waren Sie das nicht? <a href="${escapeHtml(link)}">Beenden Sie die Sitzung</a> und ändern Sie Ihr Passwort.</p>`;
  await enqueueMail(tx, { to: user.email, subject: `Neue Anmeldung: ${device} – Manage-Portal`, text, html });
}
