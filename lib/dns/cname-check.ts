/**
 * Checks whether a customer's host name has the CNAME record we expect and,
 * when not, explains in German what is wrong.
 *
 * Every call creates its own resolver, so nothing is cached between checks
 * (in particular no negative answers).
 */
import { promises as dnsPromises } from "node:dns";
import { isIP } from "node:net";

export type CnameCheckStatus =
  | "ok"
  | "nxdomain"
  | "no_record"
  | "wrong_target"
  | "a_record"
  | "timeout"
  | "servfail"
  | "error";

export interface CnameCheckResult {
  ok: boolean;
  status: CnameCheckStatus;
  /** The checked host name (normalised: lower-case, no trailing dot). */
  domain: string;
  /** CNAME targets (status ok / wrong_target) or A/AAAA addresses (status a_record). */
  found: string[];
  /** The expected CNAME target (normalised). */
  expected: string;
  /** Only for status a_record and when serverIpv4 was given. */
  points_to_server_ip?: boolean;
  /** German, plain-language explanation for the user. */
  message: string;
}

export interface CnameCheckOptions {
  /** The CNAME target the customer's record must point to, e.g. "acme.portal.myit.center". */
  expectedTarget: string;
  /** The instance server's public IPv4 address, for the A-record diagnosis. */
  serverIpv4?: string;
  /**
   * DNS servers, e.g. ["127.0.0.1:5353"]. Default: `DNS_RESOLVERS` from the
   * environment, otherwise the system's resolvers.
   */
  servers?: string[];
  /** Timeout per try in ms. Default: `DNS_TIMEOUT_MS` or 2000. */
  timeoutMs?: number;
  /** Tries per server. Default 2. */
  tries?: number;
}

/** Environment variable with comma/space separated DNS servers ("1.1.1.1", "127.0.0.1:5354", "[::1]:53"). */
export const DNS_RESOLVERS_ENV = "DNS_RESOLVERS";
export const DNS_TIMEOUT_ENV = "DNS_TIMEOUT_MS";
const DEFAULT_TIMEOUT_MS = 2000;
const DEFAULT_TRIES = 2;
const MAX_CHAIN = 8;

/** Parses `DNS_RESOLVERS`; returns undefined when unset/empty (→ system resolvers). */
export function dnsServersFromEnv(env: Record<string, string | undefined> = process.env): string[] | undefined {
  const raw = env[DNS_RESOLVERS_ENV]?.trim();
  if (!raw) return undefined;
  const list = raw
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length > 0 ? list : undefined;
}

export function normalizeDnsName(name: string): string {
  const n = name.trim().toLowerCase();
  return n.endsWith(".") ? n.slice(0, -1) : n;
}

function sameName(a: string, b: string): boolean {
  return normalizeDnsName(a) === normalizeDnsName(b);
}

function errorCode(err: unknown): string {
  if (err && typeof err === "object" && "code" in err && typeof (err as { code: unknown }).code === "string") {
    return (err as { code: string }).code;
  }
  return "UNKNOWN";
}

const TIMEOUT_CODES = new Set(["ETIMEOUT", "ECANCELLED"]);

export async function checkCname(domainInput: string, opts: CnameCheckOptions): Promise<CnameCheckResult> {
  const domain = normalizeDnsName(domainInput);
  const expected = normalizeDnsName(opts.expectedTarget);
  const timeoutMs = opts.timeoutMs ?? (Number(process.env[DNS_TIMEOUT_ENV]) || DEFAULT_TIMEOUT_MS);
  const tries = opts.tries ?? DEFAULT_TRIES;
  const servers = opts.servers ?? dnsServersFromEnv();

  const resolver = new dnsPromises.Resolver({ timeout: timeoutMs, tries });
  if (servers && servers.length > 0) resolver.setServers(servers);

  // Safety net in case the resolver's own timeout does not fire (c-ares backs off per try).
  let guardFired = false;
  const guardMs = timeoutMs * (2 ** tries) * 2 + 1000;
  const guard = setTimeout(() => {
    guardFired = true;
    resolver.cancel();
  }, guardMs);

  const result = (
    status: CnameCheckStatus,
    found: string[],
    message: string,
    extra: Partial<CnameCheckResult> = {},
  ): CnameCheckResult => ({ ok: status === "ok", status, domain, found, expected, message, ...extra });

  const fromError = (code: string): CnameCheckResult => {
    if (TIMEOUT_CODES.has(code) || guardFired) {
      return result(
        "timeout",
        [],
        `Die DNS-Abfrage für ${domain} wurde nicht rechtzeitig beantwortet. Bitte versuchen Sie es in ein paar Minuten erneut.`,
      );
    }
    if (code === "ESERVFAIL") {
      return result(
        "servfail",
        [],
        `Der DNS-Server konnte die Anfrage für ${domain} nicht beantworten (SERVFAIL). Häufig liegt das an einem nicht erreichbaren Nameserver oder einer fehlerhaften DNSSEC-Einrichtung der Domain. Bitte prüfen Sie die Einstellungen bei Ihrem DNS-Anbieter.`,
      );
    }
    if (code === "ECONNREFUSED") {
      return result(
        "error",
        [],
        `Der DNS-Server für die Prüfung von ${domain} ist nicht erreichbar. Bitte versuchen Sie es später erneut.`,
      );
    }
    return result(
      "error",
      [],
      `Die DNS-Abfrage für ${domain} ist fehlgeschlagen (${code}). Bitte versuchen Sie es später erneut.`,
    );
  };

  const createHint = `Bitte legen Sie bei Ihrem DNS-Anbieter einen CNAME-Eintrag für ${domain} mit dem Ziel ${expected} an.`;

  try {
    let targets: string[];
    try {
      targets = (await resolver.resolveCname(domain)).map(normalizeDnsName);
    } catch (err) {
      const code = errorCode(err);
      if (code === "ENOTFOUND") {
        return result(
          "nxdomain",
          [],
          `Für ${domain} gibt es keinen DNS-Eintrag (der Name existiert nicht). ${createHint} Nach dem Anlegen kann es einige Minuten dauern, bis der Eintrag sichtbar ist.`,
        );
      }
      if (code !== "ENODATA") return fromError(code);
      targets = [];
    }

    if (targets.length > 0) {
      if (targets.some((t) => sameName(t, expected))) {
        return result("ok", targets, `Der CNAME-Eintrag für ${domain} zeigt korrekt auf ${expected}.`);
      }
      // Follow a short CNAME chain: an indirect chain that ends at the expected target is fine.
      const chain = [...targets];
      let current = targets[0]!;
      for (let i = 0; i < MAX_CHAIN; i++) {
        let next: string[];
        try {
          next = (await resolver.resolveCname(current)).map(normalizeDnsName);
        } catch {
          break;
        }
        if (next.length === 0 || chain.includes(next[0]!)) break;
        chain.push(next[0]!);
        if (sameName(next[0]!, expected)) {
          return result(
            "ok",
            chain,
            `Der CNAME-Eintrag für ${domain} führt über ${targets[0]} korrekt zu ${expected}.`,
          );
        }
        current = next[0]!;
      }
      return result(
        "wrong_target",
        targets,
        `Der CNAME-Eintrag für ${domain} zeigt auf ${targets.join(", ")}, erwartet wird ${expected}. Bitte ändern Sie das Ziel des Eintrags bei Ihrem DNS-Anbieter.`,
      );
    }

    // No CNAME, but the name exists: look for A/AAAA records.
    const [a, aaaa] = await Promise.allSettled([resolver.resolve4(domain), resolver.resolve6(domain)]);
    const addresses = [
      ...(a.status === "fulfilled" ? a.value : []),
      ...(aaaa.status === "fulfilled" ? aaaa.value : []),
    ];
    if (addresses.length > 0) {
      const extra: Partial<CnameCheckResult> = {};
      let detail = "";
      if (opts.serverIpv4 && isIP(opts.serverIpv4) === 4) {
        const points = addresses.includes(opts.serverIpv4);
        extra.points_to_server_ip = points;
        detail = points
          ? ` Die Adresse ist zwar die unseres Servers, aber ein fester A-Eintrag bricht, sobald der Server umzieht.`
          : ` Die Adresse gehört nicht zu unserem Server (${opts.serverIpv4}).`;
      }
      return result(
        "a_record",
        addresses,
        `Für ${domain} ist ein A/AAAA-Eintrag (${addresses.join(", ")}) statt eines CNAME-Eintrags hinterlegt.${detail} Bitte ersetzen Sie ihn durch einen CNAME-Eintrag mit dem Ziel ${expected}.`,
        extra,
      );
    }
    for (const r of [a, aaaa]) {
      if (r.status === "rejected") {
        const code = errorCode(r.reason);
        if (code !== "ENODATA" && code !== "ENOTFOUND") return fromError(code);
      }
    }
    return result("no_record", [], `Für ${domain} gibt es keinen CNAME-Eintrag. ${createHint}`);
  } catch (err) {
    return fromError(errorCode(err));
  } finally {
    clearTimeout(guard);
  }
}
