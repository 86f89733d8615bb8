/**
 * Unicode and Punycode forms of a host name in the browser, without a
 * punycode library: the WHATWG URL parser (the same algorithm as the server's
 * `domainToASCII`) gives the ASCII form; the Unicode form is what the user
 * typed, as long as it maps to the same ASCII name. A host the user did not
 * type (e.g. already saved as Punycode) is shown as it is.
 */
export function toAsciiHost(host: string): string | null {
  try {
    return new URL(`http://${host.trim()}`).hostname.replace(/\.$/, "");
  } catch {
    return null;
  }
}

/** `{ unicode, ascii }` of the checked host; `ascii` differs from `unicode` only for internationalised names. */
export function hostForms(ascii: string, typed?: string | null): { unicode: string; ascii: string } {
  const candidate = typed?.trim().toLowerCase().replace(/\.$/, "");
  if (candidate && candidate !== ascii && toAsciiHost(candidate) === ascii) return { unicode: candidate, ascii };
  return { unicode: ascii, ascii };
}
