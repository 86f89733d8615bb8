/**
 * What identifies a bank entry, so a re-import books nothing twice and nothing distinct is
 * dropped. The bank's reference alone is not enough: FinTS exports write the placeholder
 * `NONREF` on every entry, and GLS and PostFinance give two different transactions (a payment
 * and its return, the parts of one booking) the same AcctSvcrRef. The key is therefore a hash of
 * account, booking date, signed amount, currency and everything the parser lists in
 * `identity` (all references, bank transaction code, return data, counterparty, remittance),
 * plus the occurrence number among identical entries of one file — two identical transfers on
 * one day stay two entries, and the same file imported again yields the same keys.
 *
 * Entries imported before this key existed carry `ref:<account>:<reference>` or an older hash;
 * `legacyDedupKey` recomputes that key so the import can recognise (and re-key) such a row
 * instead of booking it again — only when booking date and amount agree too, because the old
 * key was shared by distinct entries.
 */
import { createHash } from "node:crypto";
import type { CamtEntry } from "./camt";

const SEPARATOR = "\u001f";

function sha256(data: string) {
  return createHash("sha256").update(data).digest("hex");
}

/** Duplicate keys for the entries of one file, in order. */
export function dedupKeys(entries: CamtEntry[]): string[] {
  const seen = new Map<string, number>();
  return entries.map((e) => {
    const hash = sha256([e.accountIban ?? "", e.bookingDate, e.amountCents, e.currency, ...e.identity].join(SEPARATOR));
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return `v2:${hash}:${n}`;
  });
}

/** The key an entry got before (bank reference as written, placeholders included). */
export function legacyDedupKeys(entries: CamtEntry[]): string[] {
  const seen = new Map<string, number>();
  return entries.map((e) => {
    if (e.rawReference) return `ref:${e.accountIban ?? ""}:${e.rawReference}`;
    const hash = sha256([e.accountIban ?? "", e.bookingDate, e.amountCents, e.currency, e.endToEndId ?? "", e.remittanceText ?? "", e.debtorIban ?? ""].join(SEPARATOR));
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return `hash:${hash}:${n}`;
  });
}
