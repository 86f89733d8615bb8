/**
 * Development DNS server with demo records.
 *
 *   DNS_DEV_PORT=5354 DNS_DEV_RECORDS=./dns-records.json npx tsx lib/dns/dev-dns-cli.ts
 *
 * Point the app at it with DNS_RESOLVERS=127.0.0.1:5354.
 * DNS_DEV_RECORDS: optional path to a JSON array of TestDnsRecord
 * (e.g. [{"name":"portal.foo.de","type":"CNAME","value":"foo.portal.myit.center"}]).
 * The file is re-read on every query, so the app or e2e tests can add records at any time.
 */
import { readFileSync } from "node:fs";
import { startTestDnsServer, type TestDnsRecord } from "@/lib/dns/test-dns-server";

export const DEMO_DNS_RECORDS: TestDnsRecord[] = [
  { name: "portal.acme.de", type: "CNAME", value: "acme.portal.myit.center" },
  { name: "remote.acme.de", type: "CNAME", value: "acme.remote.myit.center" },
  { name: "wrong.acme.de", type: "CNAME", value: "elsewhere.example.net" },
  { name: "a-record.acme.de", type: "A", value: "49.12.34.56" },
  { name: "servfail.acme.de", type: "SERVFAIL" },
  { name: "slow.acme.de", type: "SLOW" },
];

const VALID_TYPES = new Set(["CNAME", "A", "AAAA", "NXDOMAIN", "NODATA", "SERVFAIL", "SLOW"]);

export function loadRecordsFile(path: string): TestDnsRecord[] {
  const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
  if (!Array.isArray(parsed)) throw new Error(`${path}: expected a JSON array of records`);
  return parsed.filter((r): r is TestDnsRecord => {
    const ok =
      r !== null &&
      typeof r === "object" &&
      typeof (r as { name?: unknown }).name === "string" &&
      VALID_TYPES.has((r as { type?: unknown }).type as string) &&
      (!["CNAME", "A", "AAAA"].includes((r as { type: string }).type) ||
        typeof (r as { value?: unknown }).value === "string");
    if (!ok) console.warn(`[dev-dns] ignoring invalid record: ${JSON.stringify(r)}`);
    return ok;
  });
}

async function main(): Promise<void> {
  const port = Number(process.env.DNS_DEV_PORT ?? 5354);
  const file = process.env.DNS_DEV_RECORDS?.trim();
  const records = (): TestDnsRecord[] => {
    if (!file) return DEMO_DNS_RECORDS;
    try {
      return [...DEMO_DNS_RECORDS, ...loadRecordsFile(file)];
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
        console.warn(`[dev-dns] cannot read ${file}: ${(err as Error).message}`);
      }
      return DEMO_DNS_RECORDS;
    }
  };
  const server = await startTestDnsServer({
    port,
    records: records(),
    defaultTtl: 5,
    // Re-read the file on every query: a record written by the app/e2e is visible immediately.
    onQuery: file ? (s) => s.setRecords(records()) : undefined,
  });
  console.log(`[dev-dns] listening on udp ${server.address} (${records().length} records)`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (process.argv[1] && /dev-dns-cli\.[cm]?[jt]s$/.test(process.argv[1])) {
  void main();
}
