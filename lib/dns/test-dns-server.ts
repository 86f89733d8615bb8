/**
 * A small, real UDP DNS server on loopback for tests and local development.
 * Serves CNAME, A and AAAA records from an in-memory table and can simulate
 * NXDOMAIN, SERVFAIL and slow / never-answering names.
 */
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import dnsPacket from "dns-packet";
import type { Answer, DecodedPacket, Packet } from "dns-packet";

export type TestDnsRecord =
  | { name: string; type: "CNAME"; value: string; ttl?: number }
  | { name: string; type: "A"; value: string; ttl?: number }
  | { name: string; type: "AAAA"; value: string; ttl?: number }
  /** Answer NXDOMAIN for this name (also the default for unknown names). */
  | { name: string; type: "NXDOMAIN" }
  /** The name exists but has no CNAME/A/AAAA records (NOERROR with empty answer, "NODATA"). */
  | { name: string; type: "NODATA" }
  /** Answer SERVFAIL for every query of this name. */
  | { name: string; type: "SERVFAIL" }
  /**
   * Delay the answer for this name by `delayMs` (then answer from the other
   * records of the name, or an empty NOERROR answer), or never answer when
   * `delayMs` is omitted.
   */
  | { name: string; type: "SLOW"; delayMs?: number };

export interface TestDnsServerOptions {
  /** UDP port on 127.0.0.1; 0 picks a free port. */
  port?: number;
  host?: string;
  records?: TestDnsRecord[];
  /** Default TTL for answers (seconds). */
  defaultTtl?: number;
  /**
   * Called synchronously before each query is answered; may call setRecords()
   * (the dev CLI uses it to re-read its records file on every query).
   */
  onQuery?: (server: TestDnsServer) => void;
}

export interface TestDnsServer {
  /** "127.0.0.1:PORT", usable for `Resolver#setServers`. */
  address: string;
  port: number;
  /** Replaces the whole record table. */
  setRecords(records: TestDnsRecord[]): void;
  /** Number of queries received so far (for tests). */
  queryCount(): number;
  close(): Promise<void>;
}

const RCODE_SERVFAIL = 2;
const RCODE_NXDOMAIN = 3;
const RCODE_NOTIMP = 4;

function norm(name: string): string {
  const n = name.trim().toLowerCase();
  return n.endsWith(".") ? n.slice(0, -1) : n;
}

type AnswerRecord = Extract<TestDnsRecord, { type: "CNAME" | "A" | "AAAA" }>;

function isAnswerRecord(r: TestDnsRecord): r is AnswerRecord {
  return r.type === "CNAME" || r.type === "A" || r.type === "AAAA";
}

export async function startTestDnsServer(opts: TestDnsServerOptions = {}): Promise<TestDnsServer> {
  const host = opts.host ?? "127.0.0.1";
  const defaultTtl = opts.defaultTtl ?? 300;
  let table = new Map<string, TestDnsRecord[]>();
  let queries = 0;
  const timers = new Set<NodeJS.Timeout>();

  const setRecords = (records: TestDnsRecord[]): void => {
    const next = new Map<string, TestDnsRecord[]>();
    for (const r of records) {
      const key = norm(r.name);
      const list = next.get(key) ?? [];
      list.push(r);
      next.set(key, list);
    }
    table = next;
  };
  setRecords(opts.records ?? []);

  const socket: Socket = createSocket({ type: host.includes(":") ? "udp6" : "udp4" });

  const send = (packet: Packet, rinfo: RemoteInfo): void => {
    try {
      socket.send(dnsPacket.encode(packet), rinfo.port, rinfo.address);
    } catch {
      // socket closed meanwhile
    }
  };

  const buildResponse = (query: DecodedPacket): Packet => {
    const question = query.questions?.[0];
    const base = {
      type: "response" as const,
      id: query.id,
      questions: query.questions ?? [],
      flags: dnsPacket.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | dnsPacket.RECURSION_AVAILABLE,
    };
    if (!question) return { ...base, flags: base.flags | RCODE_NOTIMP };

    const answers: Answer[] = [];
    let name = norm(question.name);
    let ownerName = question.name;
    const seen = new Set<string>();
    for (;;) {
      const records = table.get(name);
      if (!records || records.some((r) => r.type === "NXDOMAIN")) {
        // Unknown name: NXDOMAIN — unless we already followed a CNAME into it.
        return answers.length > 0 ? { ...base, answers } : { ...base, flags: base.flags | RCODE_NXDOMAIN };
      }
      if (records.some((r) => r.type === "SERVFAIL")) return { ...base, flags: base.flags | RCODE_SERVFAIL };

      const data = records.filter(isAnswerRecord);
      const cname = data.find((r) => r.type === "CNAME");
      if (cname && question.type !== "CNAME" && !seen.has(name)) {
        seen.add(name);
        answers.push({ name: ownerName, type: "CNAME", ttl: cname.ttl ?? defaultTtl, class: "IN", data: norm(cname.value) });
        name = norm(cname.value);
        ownerName = name;
        continue;
      }
      for (const r of data) {
        if (r.type === question.type) {
          answers.push({
            name: ownerName,
            type: r.type,
            ttl: r.ttl ?? defaultTtl,
            class: "IN",
            data: r.type === "CNAME" ? norm(r.value) : r.value,
          });
        }
      }
      // Empty answers with NOERROR = NODATA.
      return { ...base, answers };
    }
  };

  socket.on("message", (msg: Buffer, rinfo: RemoteInfo) => {
    queries++;
    if (opts.onQuery) {
      try {
        opts.onQuery(api);
      } catch {
        // keep the old records
      }
    }
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return; // garbage: ignore
    }
    if (query.type !== "query") return;
    const question = query.questions?.[0];
    const slow = question ? table.get(norm(question.name))?.find((r) => r.type === "SLOW") : undefined;
    if (slow && slow.type === "SLOW") {
      if (slow.delayMs === undefined) return; // never answer
      const t = setTimeout(() => {
        timers.delete(t);
        send(buildResponse(query), rinfo);
      }, slow.delayMs);
      timers.add(t);
      return;
    }
    send(buildResponse(query), rinfo);
  });

  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(opts.port ?? 0, host, () => {
      socket.off("error", reject);
      resolve();
    });
  });
  socket.on("error", () => {
    /* keep serving; errors on send are not fatal */
  });

  const port = socket.address().port;
  const address = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  let closed = false;

  const api: TestDnsServer = {
    address,
    port,
    setRecords,
    queryCount: () => queries,
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        socket.close(() => resolve());
      }),
  };
  return api;
}
