/**
 * Archived PDFs (issue 12): a strong ETag from the SHA-256, private immutable caching,
 * and a 304 for a matching If-None-Match without reading the bytes.
 */
import { describe, expect, it, vi } from "vitest";
import { ARCHIVED_PDF_CACHE_CONTROL, matchesIfNoneMatch, pdfDownload } from "@/lib/doors/kit/files";

const SHA = "ab".repeat(32);
const pdf = { filename: "RE-2026-0001.pdf", bytes: Buffer.from("%PDF-1.7 test"), sha256: SHA };

function get(headers: Record<string, string> = {}, query = "") {
  return new Request(`http://localhost/api/manage/invoices/1/pdf${query}`, { headers });
}

describe("archived PDF download", () => {
  it("answers the bytes with a strong ETag and private, immutable caching", async () => {
    const res = await pdfDownload(get(), { sha256: async () => SHA, load: async () => pdf });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe(`"${SHA}"`);
    expect(res.headers.get("cache-control")).toBe(ARCHIVED_PDF_CACHE_CONTROL);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="RE-2026-0001.pdf"');
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe("%PDF-1.7 test");
  });

  it("answers a matching If-None-Match with 304 and never loads the bytes", async () => {
    const load = vi.fn(async () => pdf);
    const res = await pdfDownload(get({ "if-none-match": `W/"x", "${SHA}"` }), { sha256: async () => SHA, load });
    expect(res.status).toBe(304);
    expect(res.headers.get("etag")).toBe(`"${SHA}"`);
    expect(res.headers.get("cache-control")).toBe(ARCHIVED_PDF_CACHE_CONTROL);
    expect(load).not.toHaveBeenCalled();
  });

  it("loads the bytes for a stale ETag or a missing archive", async () => {
    const stale = await pdfDownload(get({ "if-none-match": '"other"' }, "?inline=1"), { sha256: async () => SHA, load: async () => pdf });
    expect(stale.status).toBe(200);
    expect(stale.headers.get("content-disposition")).toBe('inline; filename="RE-2026-0001.pdf"');
    const missing = await pdfDownload(get({ "if-none-match": `"${SHA}"` }), { sha256: async () => null, load: async () => pdf });
    expect(missing.status).toBe(200);
  });

  it("compares If-None-Match weakly and honours *", () => {
    expect(matchesIfNoneMatch(get({ "if-none-match": `W/"${SHA}"` }), `"${SHA}"`)).toBe(true);
    expect(matchesIfNoneMatch(get({ "if-none-match": "*" }), `"${SHA}"`)).toBe(true);
    expect(matchesIfNoneMatch(get({ "if-none-match": '"nope"' }), `"${SHA}"`)).toBe(false);
    expect(matchesIfNoneMatch(get(), `"${SHA}"`)).toBe(false);
  });
});
