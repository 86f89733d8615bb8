/** What the e2e stack (playwright.config.ts webServer) offers specs besides the browser. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * This worker's stack (playwright.config.ts): stack i listens on E2E_PORT + 100·i, and worker i
 * (Playwright's TEST_PARALLEL_INDEX, kept when a worker is replaced) always uses stack i.
 */
export function stackPort(parallelIndex: number) {
  return Number(process.env.E2E_PORT ?? 3100) + 100 * parallelIndex;
}
export const E2E_PORT = stackPort(Number(process.env.TEST_PARALLEL_INDEX ?? 0));

/** Screenshots of the main pages for review (the test reports folder). */
export const SCREENSHOTS = ".data/test-reports/screenshots";

/** The two widths every role's screens are checked at. */
export const WIDTHS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

export type DnsRecord = { name: string; type: string; value?: string };

/** The records file of the stack's DNS server (it re-reads the file on every query). */
export const DNS_RECORDS_FILE = path.resolve(`.data/e2e-dns-${E2E_PORT}.json`);

function readDnsRecords(): DnsRecord[] {
  try {
    return JSON.parse(readFileSync(DNS_RECORDS_FILE, "utf8")) as DnsRecord[];
  } catch {
    return [];
  }
}

/** Adds (or replaces by name) records in the stack's DNS server. */
export function addDnsRecords(records: DnsRecord[]) {
  const current = readDnsRecords();
  mkdirSync(path.dirname(DNS_RECORDS_FILE), { recursive: true });
  writeFileSync(DNS_RECORDS_FILE, JSON.stringify([...current.filter((r) => !records.some((n) => n.name === r.name)), ...records]));
}

/** Removes the records of a name from the stack's DNS server. */
export function removeDnsRecords(name: string) {
  writeFileSync(DNS_RECORDS_FILE, JSON.stringify(readDnsRecords().filter((r) => r.name !== name)));
}
