import { isIP } from "node:net";
import { domainToASCII } from "node:url";

export type NormalizeDomainResult =
  | { ok: true; domain: string }
  | { ok: false; error: string };

export interface NormalizeDomainOptions {
  /** The MSP's own zone, e.g. "myit.center". Names equal to it or below it are refused. */
  mspZone: string;
}

export const MAX_HOSTNAME_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;

const LABEL_RE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const TLD_RE = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export const HOSTNAME_ERRORS = {
  empty: "Bitte einen Hostnamen angeben.",
  schemeOrPath: "Bitte nur den Hostnamen angeben, ohne https:// oder Pfad.",
  port: "Bitte den Hostnamen ohne Port angeben (z. B. ohne „:443“).",
  whitespace: "Der Hostname darf keine Leerzeichen enthalten.",
  wildcard: "Wildcard-Domains (*) werden nicht unterstützt. Bitte einen konkreten Hostnamen angeben.",
  ipAddress: "Bitte einen Hostnamen angeben, keine IP-Adresse.",
  invalidChars:
    "Der Hostname enthält unzulässige Zeichen. Erlaubt sind Buchstaben, Ziffern, Bindestriche und Punkte.",
  emptyLabel: "Der Hostname enthält leere Namensteile (z. B. zwei Punkte hintereinander).",
  hyphenEdge: "Ein Namensteil des Hostnamens darf nicht mit einem Bindestrich beginnen oder enden.",
  tooLong: `Der Hostname ist zu lang (höchstens ${MAX_HOSTNAME_LENGTH} Zeichen).`,
  tooFewLabels: "Bitte einen vollständigen Hostnamen angeben, z. B. portal.ihre-firma.de.",
  invalidTld: "Die Endung des Hostnamens ist keine gültige Top-Level-Domain (z. B. .de oder .com).",
} as const;

function labelTooLong(label: string): string {
  return `Der Namensteil „${label.length > 20 ? `${label.slice(0, 20)}…` : label}“ ist zu lang (höchstens ${MAX_LABEL_LENGTH} Zeichen je Namensteil).`;
}

function mspZoneError(zone: string): string {
  return `Hostnamen unter ${zone} gehören dem Anbieter und können nicht als eigene Domain verwendet werden.`;
}

function stripTrailingDot(s: string): string {
  return s.endsWith(".") ? s.slice(0, -1) : s;
}

/** Normalises a zone/host name for comparisons (lower-case, punycode, no trailing dot). */
function normalizeZone(zone: string): string {
  const z = stripTrailingDot(zone.trim().toLowerCase());
  return domainToASCII(z) || z;
}

/**
 * Validates and normalises a customer-supplied host name for a custom domain.
 * Result is lower-case ASCII (IDN converted to punycode), without trailing dot.
 */
export function normalizeCustomDomain(input: string, opts: NormalizeDomainOptions): NormalizeDomainResult {
  const fail = (error: string): NormalizeDomainResult => ({ ok: false, error });
  let s = (input ?? "").trim();
  if (s === "") return fail(HOSTNAME_ERRORS.empty);

  // Scheme, path, query, fragment or user info: the user pasted a URL.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s) || s.startsWith("//") || /[/?#@\\]/.test(s)) {
    return fail(HOSTNAME_ERRORS.schemeOrPath);
  }
  if (/\s/.test(s)) return fail(HOSTNAME_ERRORS.whitespace);

  // IP literals (IPv6 possibly in brackets, possibly with port).
  const unbracketed = s.replace(/^\[(.*)\](?::\d*)?$/, "$1");
  if (isIP(unbracketed) !== 0 || isIP(stripTrailingDot(s)) !== 0) return fail(HOSTNAME_ERRORS.ipAddress);

  if (s.includes(":")) {
    const hostPart = s.slice(0, s.lastIndexOf(":"));
    if (isIP(hostPart) === 4) return fail(HOSTNAME_ERRORS.ipAddress);
    if (/^[^:]+:\d*$/.test(s)) return fail(HOSTNAME_ERRORS.port);
    return fail(HOSTNAME_ERRORS.invalidChars);
  }
  if (s.includes("*")) return fail(HOSTNAME_ERRORS.wildcard);

  s = stripTrailingDot(s);
  if (s === "") return fail(HOSTNAME_ERRORS.empty);
  if (s.split(".").some((l) => l === "")) return fail(HOSTNAME_ERRORS.emptyLabel);
  if (s.length > MAX_HOSTNAME_LENGTH * 4) return fail(HOSTNAME_ERRORS.tooLong);

  const ascii = domainToASCII(s.toLowerCase()).toLowerCase();
  if (ascii === "") {
    // WHATWG host parsing treats a numeric last label as an (invalid) IPv4 address.
    const last = s.toLowerCase().split(".").pop() ?? "";
    if (/^(?:\d+|0x[0-9a-f]*)$/.test(last)) return fail(HOSTNAME_ERRORS.invalidTld);
    return fail(HOSTNAME_ERRORS.invalidChars);
  }
  // domainToASCII may map characters (e.g. full-width dots); re-check the result.
  const domain = stripTrailingDot(ascii);
  if (domain === "" || domain.includes("*")) return fail(HOSTNAME_ERRORS.invalidChars);
  if (isIP(domain) !== 0) return fail(HOSTNAME_ERRORS.ipAddress);

  const labels = domain.split(".");
  if (labels.some((l) => l === "")) return fail(HOSTNAME_ERRORS.emptyLabel);
  for (const label of labels) {
    if (label.length > MAX_LABEL_LENGTH) return fail(labelTooLong(label));
  }
  if (domain.length > MAX_HOSTNAME_LENGTH) return fail(HOSTNAME_ERRORS.tooLong);
  for (const label of labels) {
    if (!/^[a-z0-9-]+$/.test(label)) return fail(HOSTNAME_ERRORS.invalidChars);
    if (!LABEL_RE.test(label)) return fail(HOSTNAME_ERRORS.hyphenEdge);
  }
  if (labels.length < 2) return fail(HOSTNAME_ERRORS.tooFewLabels);
  if (!TLD_RE.test(labels[labels.length - 1]!)) return fail(HOSTNAME_ERRORS.invalidTld);

  const zone = normalizeZone(opts.mspZone);
  if (zone !== "" && (domain === zone || domain.endsWith(`.${zone}`))) return fail(mspZoneError(zone));

  return { ok: true, domain };
}
