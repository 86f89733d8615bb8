/**
 * How staff find a customer: one condition on `instances.id`, used by every staff search
 * (the instances list, the payment assignment). A search term matches an instance by
 *
 * - its name, company name, portal and MeshCentral domain,
 * - a custom domain (typed in Unicode or punycode: "bäckerei.de" finds "xn--bckerei-dxa.de"),
 * - the billing profile's legal name, contact person and invoice e-mails,
 * - the name or e-mail of one of its users (the contact persons who sign in),
 * - the number of one of its invoices ("RE-2026-0014", also "RE 2026 0014" or "re20260014").
 *
 * Case-insensitive in Unicode (PostgreSQL's ILIKE on UTF-8 folds "MÜLLER" and "müller" on the
 * real server and on PGlite alike); the term is NFC-normalised first so a decomposed "ü" typed
 * on some keyboards matches the stored composed one. LIKE wildcards in the term are escaped.
 */
import { domainToASCII } from "node:url";
import { sql, type SQL } from "drizzle-orm";
import { customDomains, instanceBillingProfiles, instances, invoices, users } from "@/db/schema";

function likePattern(term: string) {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The invoice number a term stands for, if it is one ("RE 2026 14" is not: numbers have four digits). */
export function invoiceNumberOf(term: string): string | null {
  const match = /^re[\s-]?(\d{4})[\s-]?(\d{4,})$/i.exec(term.trim());
  return match ? `RE-${match[1]}-${match[2]}` : null;
}

/** Normalised search term: NFC, trimmed, inner whitespace collapsed. Empty → null. */
export function normalizeSearch(term: string | undefined | null): string | null {
  const normalized = (term ?? "").normalize("NFC").trim().replace(/\s+/g, " ");
  return normalized === "" ? null : normalized;
}

/** SQL condition: the instance row in scope matches the term (see top). */
export function instanceSearchCondition(term: string): SQL {
  const like = likePattern(term);
  const ascii = /[^\x00-\x7f]/.test(term) && !term.includes(" ") ? domainToASCII(term.toLowerCase()) : "";
  const asciiLike = ascii && ascii !== term ? likePattern(ascii) : null;
  const number = invoiceNumberOf(term);
  const domainMatch = asciiLike ? sql`(d.domain ilike ${like} or d.domain ilike ${asciiLike})` : sql`d.domain ilike ${like}`;
  return sql`(
    ${instances.name} ilike ${like} or ${instances.companyName} ilike ${like}
    or ${instances.portalDomain} ilike ${like} or ${instances.meshcentralDomain} ilike ${like}
    ${asciiLike ? sql`or ${instances.portalDomain} ilike ${asciiLike}` : sql``}
    or exists (select 1 from ${customDomains} d where d.instance_id = ${instances.id} and ${domainMatch})
    or exists (select 1 from ${instanceBillingProfiles} p where p.instance_id = ${instances.id}
      and (p.legal_name ilike ${like} or p.contact_name ilike ${like} or p.invoice_emails::text ilike ${like}))
    or exists (select 1 from ${users} u where u.instance_id = ${instances.id} and (u.name ilike ${like} or u.email ilike ${like}))
    or exists (select 1 from ${invoices} i where i.instance_id = ${instances.id} and i.invoice_number is not null
      and ${number ? sql`i.invoice_number = ${number}` : sql`i.invoice_number ilike ${like}`})
  )`;
}
