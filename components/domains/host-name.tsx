import { toUnicodeHost } from "@/lib/client/hostname";

/**
 * A host name as people read it: the Unicode form ("müller.de"), and for an
 * internationalised name the Punycode form ("xn--mller-kva.de") as a second
 * line, which is what DNS providers and certificates show. `href` makes the
 * first line a link (to the ASCII address); `prefix` is shown before the
 * name (e.g. "https://"). Plain ASCII names are shown exactly as before.
 */
export function HostName({
  host,
  href,
  prefix = "",
  testId,
  linkClassName = "text-brand-700 underline",
}: {
  host: string;
  href?: string;
  prefix?: string;
  testId?: string;
  linkClassName?: string;
}) {
  const unicode = toUnicodeHost(host);
  const international = unicode !== host;
  const text = `${prefix}${unicode}`;
  const main = href ? (
    <a className={linkClassName} href={href} target="_blank" rel="noreferrer" data-testid={testId}>
      {text}
    </a>
  ) : (
    <span data-testid={testId}>{text}</span>
  );
  if (!international) return main;
  return (
    <span className="inline-block max-w-full break-all">
      <span className="block">{main}</span>
      <span className="block font-mono text-xs font-normal text-slate-500" data-testid={testId ? `${testId}-punycode` : undefined}>
        <span className="font-sans">Punycode: </span>
        {host}
      </span>
    </span>
  );
}
