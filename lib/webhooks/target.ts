/**
 * Where a webhook may go. An endpoint URL is chosen by a customer, so without
 * a check the portal would make requests into the MSP's own network (SSRF:
 * the database, the metadata service, the instance agent). Every delivery
 * resolves the host itself and connects only to an address it has checked;
 * the check runs inside the socket's `lookup`, so a DNS answer that changes
 * between check and connect (rebinding) cannot slip through. Loopback,
 * private, link-local, CGNAT, multicast and reserved ranges are refused
 * unless `webhooksAllowPrivateTargets` (never in production).
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";
import { config } from "@/lib/config";
import { ValidationError } from "@/lib/errors";

const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

/** True for an address a production webhook must not reach. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family === 6) {
    // IPv4-mapped (::ffff:a.b.c.d, or in hex as the URL parser writes it) is checked as the IPv4 address it is.
    const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (dotted) return blocked.check(dotted[1]!, "ipv4");
    const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
    if (hex) {
      const n = (parseInt(hex[1]!, 16) << 16) | parseInt(hex[2]!, 16);
      return blocked.check([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join("."), "ipv4");
    }
    return blocked.check(address, "ipv6");
  }
  return true;
}

const TARGET_MESSAGE = "Die Adresse zeigt auf ein lokales oder privates Netz. Webhooks gehen nur an öffentlich erreichbare Server.";

/** Checks the URL's form when an endpoint is saved (the address is checked again at every delivery). */
export function checkTargetUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ValidationError({ url: ["Bitte eine gültige URL angeben."] });
  }
  const allowPrivate = config().webhooksAllowPrivateTargets;
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    throw new ValidationError({ url: ["Die URL muss mit https:// beginnen."] });
  }
  if (url.username || url.password) throw new ValidationError({ url: ["Zugangsdaten gehören nicht in die URL."] });
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!allowPrivate && (host === "localhost" || host.endsWith(".localhost") || (isIP(host) && isPrivateAddress(host)))) {
    throw new ValidationError({ url: [TARGET_MESSAGE] });
  }
  return url.toString();
}

export class PrivateTargetError extends Error {
  constructor(address: string) {
    super(`Ziel ${address} liegt in einem lokalen oder privaten Netz.`);
  }
}

/** A `lookup` for http(s).request that refuses private addresses (unless allowed). */
export function guardedLookup(
  hostname: string,
  options: { family?: number | string; all?: boolean },
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) {
  dnsLookup(hostname, { all: true, family: Number(options.family) || 0 }, (error, addresses) => {
    if (error) return callback(error, "", 0);
    const allowPrivate = config().webhooksAllowPrivateTargets;
    const usable = allowPrivate ? addresses : addresses.filter((a) => !isPrivateAddress(a.address));
    if (usable.length === 0) return callback(new PrivateTargetError(addresses[0]?.address ?? hostname) as NodeJS.ErrnoException, "", 0);
    if (options.all) return callback(null, usable);
    return callback(null, usable[0]!.address, usable[0]!.family);
  });
}
