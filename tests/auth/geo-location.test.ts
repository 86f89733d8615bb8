import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { anonymousActor } from "@/lib/activity";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { open, Reader, type CityResponse } from "maxmind";
import pino from "pino";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GET as listSessionsRoute } from "@/app/api/v1/auth/sessions/route";
import { mailOutbox, users } from "@/db/schema";
import { approximateLocation, resetGeoLocationForTests } from "@/lib/auth/geo-location";
import { finishLogin } from "@/lib/auth/login";
import { resetConfigForTests } from "@/lib/config";
import { setLoggerForTests } from "@/lib/observability/logger";
import { openApiDocument } from "@/lib/doors/v1/openapi";
import { sessionItem } from "@/lib/doors/v1/schemas";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { writeMmdb, type MmdbNetwork } from "../helpers/mmdb-writer";
import { v1Login } from "../v1/helpers";

/**
 * Issue 14: the approximate place of a session's IP from a local GeoIP
 * database (GEOIP_DATABASE). The database is a MaxMind DB file written by
 * tests/helpers/mmdb-writer.ts, read by the same `maxmind` package as in
 * production.
 */

const NETWORKS: MmdbNetwork[] = [
  {
    network: "203.0.113.0/24",
    data: {
      city: { geoname_id: 2861650, names: { de: "Nürnberg", en: "Nuremberg" } },
      country: { geoname_id: 2921044, iso_code: "DE", names: { de: "Deutschland", en: "Germany", fr: "Allemagne" } },
      location: { latitude: 49.4478, longitude: 11.0683, accuracy_radius: 20 },
    },
  },
  { network: "198.51.100.0/24", data: { country: { geoname_id: 2782113, iso_code: "AT", names: { de: "Österreich", en: "Austria" } } } },
  // Only English names: the German text falls back to them.
  { network: "192.0.2.0/24", data: { city: { geoname_id: 2988507, names: { en: "Paris" } }, country: { geoname_id: 3017382, iso_code: "FR", names: { en: "France" } } } },
  { network: "2001:db8:1::/48", data: { country: { geoname_id: 2658434, iso_code: "CH", names: { de: "Schweiz", en: "Switzerland" } } } },
  // A database that (wrongly) knows a private network: such addresses are still never placed.
  { network: "10.0.0.0/8", data: { country: { geoname_id: 2921044, iso_code: "DE", names: { de: "Deutschland" } } } },
];

const dir = mkdtempSync(path.join(tmpdir(), "geoip-test-"));
const CITY_DB = path.join(dir, "city.mmdb");
const IPV4_DB = path.join(dir, "ipv4.mmdb");
const BROKEN_DB = path.join(dir, "broken.mmdb");
writeFileSync(CITY_DB, writeMmdb(NETWORKS, { databaseType: "GeoLite2-City" }));
writeFileSync(IPV4_DB, writeMmdb(NETWORKS.filter((n) => !n.network.includes(":")), { ipVersion: 4 }));
writeFileSync(BROKEN_DB, Buffer.from("keine MaxMind-Datenbank, nur Text"));

function useGeoDatabase(file: string | undefined) {
  if (file === undefined) delete process.env.GEOIP_DATABASE;
  else process.env.GEOIP_DATABASE = file;
  resetConfigForTests();
  resetGeoLocationForTests();
}

useGeoDatabase(CITY_DB);
const database = useTestDatabase();

afterEach(() => {
  setLoggerForTests(undefined);
  useGeoDatabase(CITY_DB);
});
afterAll(() => {
  useGeoDatabase(undefined);
  rmSync(dir, { recursive: true, force: true });
});

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
const SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";

async function userRow(email: string) {
  const [row] = await database.db().select().from(users).where(eq(users.email, email));
  return row;
}

describe("the test fixture writer (MaxMind DB format 2.0)", () => {
  it("writes a file the maxmind reader opens: metadata, city and country records, unknown addresses", async () => {
    const reader = await open<CityResponse>(CITY_DB);
    expect(reader.metadata).toMatchObject({ binaryFormatMajorVersion: 2, binaryFormatMinorVersion: 0, ipVersion: 6, recordSize: 32, databaseType: "GeoLite2-City", languages: ["de", "en"] });
    expect(reader.get("203.0.113.77")).toEqual(NETWORKS[0].data);
    expect(reader.getWithPrefixLength("203.0.113.1")[1]).toBe(24);
    expect(reader.get("198.51.100.200")?.country?.names).toEqual({ de: "Österreich", en: "Austria" });
    expect(reader.get("198.51.100.200")?.city).toBeUndefined();
    expect(reader.get("2001:db8:1:ffff::1")?.country?.iso_code).toBe("CH");
    expect(reader.get("203.0.114.1")).toBeNull();
    expect(reader.get("2001:db8:2::1")).toBeNull();
    expect(reader.get("8.8.8.8")).toBeNull();
  });

  it("writes IPv4-only trees, shares equal records and refuses overlapping networks", () => {
    const v4 = new Reader<CityResponse>(writeMmdb(NETWORKS.slice(0, 2), { ipVersion: 4 }));
    expect(v4.metadata.ipVersion).toBe(4);
    expect(v4.get("203.0.113.5")?.city?.names.en).toBe("Nuremberg");
    const twice = writeMmdb([
      { network: "203.0.113.0/25", data: NETWORKS[1].data },
      { network: "203.0.113.128/25", data: NETWORKS[1].data },
    ]);
    const once = writeMmdb([{ network: "203.0.113.0/25", data: NETWORKS[1].data }]);
    expect(twice.length - once.length).toBeLessThan(16); // one more tree node, not a second copy of the record
    expect(new Reader<CityResponse>(twice).get("203.0.113.200")?.country?.iso_code).toBe("AT");
    expect(() => writeMmdb([NETWORKS[0], { network: "203.0.113.128/25", data: "x" }])).toThrow(/überschneidet/);
    expect(() => writeMmdb([{ network: "203.0.113.128/25", data: "x" }, NETWORKS[0]])).toThrow(/überschneidet/);
  });
});

describe("approximateLocation", () => {
  it("names city and country in German, falls back to English, and gives the country alone when that is all there is", async () => {
    expect(await approximateLocation("203.0.113.9")).toBe("Nürnberg, Deutschland");
    expect(await approximateLocation("::ffff:203.0.113.9")).toBe("Nürnberg, Deutschland");
    expect(await approximateLocation("198.51.100.20")).toBe("Österreich");
    expect(await approximateLocation("192.0.2.44")).toBe("Paris, France");
    expect(await approximateLocation("2001:db8:1::7")).toBe("Schweiz");
  });

  it("has no place for unknown, private, loopback and malformed addresses", async () => {
    expect(await approximateLocation("8.8.8.8")).toBeNull();
    expect(await approximateLocation("2001:db8::5")).toBeNull();
    for (const ip of ["10.1.2.3", "127.0.0.1", "192.168.178.20", "172.16.5.4", "100.64.1.1", "169.254.1.1", "::1", "fd00::1", "fe80::1%eth0", "::ffff:10.0.0.1"]) {
      expect(await approximateLocation(ip), ip).toBeNull();
    }
    for (const ip of ["unknown", "", null, undefined, "203.0.113.999", "203.0.113.0/24"]) {
      expect(await approximateLocation(ip), String(ip)).toBeNull();
    }
  });

  it("looks up no IPv6 address in an IPv4-only database", async () => {
    useGeoDatabase(IPV4_DB);
    expect(await approximateLocation("203.0.113.9")).toBe("Nürnberg, Deutschland");
    expect(await approximateLocation("2001:db8:1::7")).toBeNull();
  });

  it("shows no place without GEOIP_DATABASE", async () => {
    useGeoDatabase(undefined);
    expect(await approximateLocation("203.0.113.9")).toBeNull();
    useGeoDatabase("");
    expect(await approximateLocation("203.0.113.9")).toBeNull();
  });

  it.each([
    ["missing", path.join(dir, "fehlt.mmdb")],
    ["not a MaxMind database", BROKEN_DB],
  ])("logs one warning for a %s file and goes on without places", async (_what, file) => {
    const lines: { level: number; msg: string; geoip_database?: string }[] = [];
    setLoggerForTests(pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) }));
    useGeoDatabase(file);
    for (const ip of ["203.0.113.9", "198.51.100.20", "203.0.113.10"]) expect(await approximateLocation(ip)).toBeNull();
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ geoip_database: file });
    expect(warnings[0].msg).toContain("GEOIP_DATABASE");
  });
});

describe("sessions and the new-device mail", () => {
  it("GET /api/v1/auth/sessions gives each session its approximate_location (null when unknown)", async () => {
    const user = await userRow("it@bergmann-logistik.de");
    const nuremberg = await finishLogin(anonymousActor("203.0.113.50"), { user, door: "browser", userAgent: CHROME });
    const vienna = await finishLogin(anonymousActor("198.51.100.8"), { user, door: "manage_api", userAgent: "curl/8.0" });
    const office = await finishLogin(anonymousActor("192.168.10.4"), { user, door: "browser", userAgent: FIREFOX });
    const { access_token } = await v1Login("it@bergmann-logistik.de"); // from 2001:db8::n, which the database does not know

    const res = await call(listSessionsRoute, "GET", "/api/v1/auth/sessions", { token: access_token });
    expect(res.status).toBe(200);
    const byId = new Map(res.json.sessions.map((s: { id: string }) => [s.id, s]));
    expect(byId.get(nuremberg.sessionId)).toMatchObject({ device: "Chrome auf Linux", ip: "203.0.113.50", approximate_location: "Nürnberg, Deutschland" });
    expect(byId.get(vienna.sessionId)).toMatchObject({ kind: "manage_api", approximate_location: "Österreich" });
    expect(byId.get(office.sessionId)).toMatchObject({ device: "Firefox auf Windows", approximate_location: null });
    const token = res.json.sessions.find((s: { current: boolean }) => s.current);
    expect(token).toMatchObject({ kind: "api_v1", approximate_location: null });
    // Every item has the documented shape (the field is there, null included).
    for (const s of res.json.sessions) expect(sessionItem.strict().parse(s)).toEqual(s);

    useGeoDatabase(undefined);
    const without = await call(listSessionsRoute, "GET", "/api/v1/auth/sessions", { token: access_token });
    expect(without.json.sessions.map((s: { approximate_location: string | null }) => s.approximate_location)).toEqual(without.json.sessions.map(() => null));
  });

  it("documents approximate_location in the OpenAPI document as a nullable string", () => {
    type Prop = { type?: string | string[]; anyOf?: Prop[]; description?: string };
    const session = (openApiDocument() as unknown as { components: { schemas: Record<string, { properties: Record<string, Prop>; required?: string[] }> } }).components.schemas.Session;
    const field = session.properties.approximate_location;
    const types = [field.type, ...(field.anyOf ?? []).map((p) => p.type)].flat().filter(Boolean);
    expect(types).toEqual(expect.arrayContaining(["string", "null"]));
    expect(field.description).toMatch(/GeoIP/);
    expect(session.required).toContain("approximate_location");
  });

  it("names the approximate place in the new-device mail when the database knows the address", async () => {
    const user = await userRow("admin@firma.de");
    const newDeviceMails = async () =>
      (await database.db().select().from(mailOutbox).where(eq(mailOutbox.to, "admin@firma.de"))).filter((m) => m.subject.startsWith("Neue Anmeldung"));
    const before = (await newDeviceMails()).length;
    await finishLogin(anonymousActor("10.0.0.7"), { user, door: "browser", userAgent: CHROME });
    await finishLogin(anonymousActor("203.0.113.60"), { user, door: "browser", userAgent: FIREFOX });
    const placed = (await newDeviceMails()).slice(before).find((m) => m.subject.includes("Firefox auf Windows"));
    expect(placed?.text).toContain("Ort: Nürnberg, Deutschland (ungefähr, aus der IP-Adresse)");
    expect(placed?.html).toContain("<li>Ort: Nürnberg, Deutschland (ungefähr, aus der IP-Adresse)</li>");
    expect(placed?.text).toContain("IP-Adresse: 203.0.113.60");

    await finishLogin(anonymousActor("10.0.0.8"), { user, door: "browser", userAgent: SAFARI });
    const unplaced = (await newDeviceMails()).slice(before).find((m) => m.subject.includes("Safari"));
    expect(unplaced?.text).toContain("IP-Adresse: 10.0.0.8");
    expect(unplaced?.text).not.toContain("Ort:");
    expect(unplaced?.html).not.toContain("Ort:");
  });
});
