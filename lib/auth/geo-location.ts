/**
 * Approximate place of an IP address ("Nürnberg, Deutschland") for the
 * session list and the new-device mail, from a local GeoIP database in
 * MaxMind DB format (GeoLite2-City/-Country, DB-IP Lite; `GEOIP_DATABASE`).
 * No network lookups, ever: without a configured file there is no place.
 *
 * The file is opened lazily on the first lookup, once per process (the
 * reader is kept on globalThis, so Next's bundles and the custom server share
 * it) and read into memory by the maxmind package. A missing, unreadable or
 * broken file logs one warning and the process goes on without places; a new
 * file needs a restart (as does a changed variable).
 *
 * Names are German where the database has them (`names.de`), else English.
 * Private, loopback, link-local and other non-public addresses are never
 * looked up. The result is approximate by nature (city databases are often
 * wrong by tens of kilometres, and mobile or VPN addresses by countries), so
 * the UI always says "ungefähr".
 */
import { BlockList, isIP } from "node:net";
import { open, type CityResponse, type Reader } from "maxmind";
import { config } from "@/lib/config";
import { normalizeIp } from "@/lib/http/client-ip";
import { logger } from "@/lib/observability/logger";

type GeoReader = Reader<CityResponse>;
type Names = { readonly de?: string; readonly en?: string } | undefined;

const store = globalThis as unknown as { __manageGeoIp?: { path: string; reader: Promise<GeoReader | null> } };

/** Addresses no GeoIP database places: private, shared (CGNAT), loopback, link-local, multicast, reserved. */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["224.0.0.0", 3], // multicast and reserved up to 255.255.255.255
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, "ipv6");
}

function reader(): Promise<GeoReader | null> {
  const path = config().GEOIP_DATABASE;
  if (!path) return Promise.resolve(null);
  if (store.__manageGeoIp?.path !== path) {
    store.__manageGeoIp = {
      path,
      reader: open<CityResponse>(path).catch((error: unknown) => {
        logger().warn(
          { geoip_database: path, err: error },
          "GeoIP-Datenbank (GEOIP_DATABASE) nicht lesbar; Sitzungen und Anmelde-Mails zeigen keinen ungefähren Ort",
        );
        return null;
      }),
    };
  }
  return store.__manageGeoIp.reader;
}

const localName = (names: Names) => names?.de ?? names?.en ?? null;

/**
 * "Nürnberg, Deutschland", "Deutschland", or null: no database, an address it
 * does not know, or one that is not public.
 */
export async function approximateLocation(ip: string | null | undefined): Promise<string | null> {
  if (!ip) return null;
  const address = normalizeIp(ip.trim().replace(/%.*$/, ""));
  const family = isIP(address);
  if (family === 0 || NOT_PUBLIC.check(address, family === 4 ? "ipv4" : "ipv6")) return null;
  const db = await reader();
  if (!db || (family === 6 && db.metadata.ipVersion === 4)) return null;
  let found: CityResponse | null;
  try {
    found = db.get(address);
  } catch {
    return null;
  }
  const country = localName(found?.country?.names);
  const city = localName(found?.city?.names);
  if (city && country) return `${city}, ${country}`;
  return country ?? city;
}

/** Tests: forget the opened database (the next lookup opens GEOIP_DATABASE again). */
export function resetGeoLocationForTests() {
  store.__manageGeoIp = undefined;
}
