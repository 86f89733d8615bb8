/**
 * Unicode and Punycode forms of a host name in the browser, without a
 * punycode library: the WHATWG URL parser (the same algorithm as the server's
 * `domainToASCII`) gives the ASCII form, and a small RFC 3492 decoder gives
 * the Unicode form of a saved name (custom domains are stored as Punycode).
 * A decoded name is only shown if it encodes back to the same ASCII name, so
 * a malformed `xn--` label is shown as it is, never as a different name.
 */
export function toAsciiHost(host: string): string | null {
  try {
    return new URL(`http://${host.trim()}`).hostname.replace(/\.$/, "");
  } catch {
    return null;
  }
}

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;
const MAX_INT = 0x7fffffff;

function adapt(delta: number, numPoints: number, firstTime: boolean): number {
  let d = firstTime ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / numPoints);
  let k = 0;
  while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
    d = Math.floor(d / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + SKEW));
}

function digitOf(codePoint: number): number {
  if (codePoint >= 0x30 && codePoint <= 0x39) return codePoint - 22; // 0-9 → 26-35
  if (codePoint >= 0x41 && codePoint <= 0x5a) return codePoint - 0x41; // A-Z
  if (codePoint >= 0x61 && codePoint <= 0x7a) return codePoint - 0x61; // a-z
  return BASE;
}

/** RFC 3492 decoding of one label without its `xn--` prefix; null if malformed. */
export function decodePunycodeLabel(input: string): string | null {
  const output: number[] = [];
  const basicEnd = Math.max(0, input.lastIndexOf("-"));
  for (let j = 0; j < basicEnd; j++) {
    const c = input.charCodeAt(j);
    if (c >= 0x80) return null;
    output.push(c);
  }
  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  let i = 0;
  for (let index = basicEnd > 0 ? basicEnd + 1 : 0; index < input.length; ) {
    const oldI = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (index >= input.length) return null;
      const digit = digitOf(input.charCodeAt(index++));
      if (digit >= BASE || digit > Math.floor((MAX_INT - i) / w)) return null;
      i += digit * w;
      const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (digit < t) break;
      if (w > Math.floor(MAX_INT / (BASE - t))) return null;
      w *= BASE - t;
    }
    const length = output.length + 1;
    bias = adapt(i - oldI, length, oldI === 0);
    if (Math.floor(i / length) > MAX_INT - n) return null;
    n += Math.floor(i / length);
    i %= length;
    if (n > 0x10ffff) return null;
    output.splice(i, 0, n);
    i++;
  }
  return String.fromCodePoint(...output);
}

/** The Unicode form of an ASCII host name ("xn--mller-kva.de" → "müller.de"); the input as it is when nothing decodes cleanly. */
export function toUnicodeHost(host: string): string {
  const ascii = host.trim().toLowerCase().replace(/\.$/, "");
  if (!/(^|\.)xn--/.test(ascii)) return host;
  const labels = ascii.split(".").map((label) => (label.startsWith("xn--") ? decodePunycodeLabel(label.slice(4)) : label));
  if (labels.some((label) => label === null || label === "")) return host;
  const unicode = labels.join(".");
  return toAsciiHost(unicode) === ascii ? unicode : host;
}

/** `{ unicode, ascii }` of a host name; `ascii` differs from `unicode` only for internationalised names. */
export function hostForms(ascii: string, typed?: string | null): { unicode: string; ascii: string } {
  const candidate = typed?.trim().toLowerCase().replace(/\.$/, "");
  if (candidate && candidate !== ascii && toAsciiHost(candidate) === ascii) return { unicode: candidate, ascii };
  return { unicode: toUnicodeHost(ascii), ascii };
}
