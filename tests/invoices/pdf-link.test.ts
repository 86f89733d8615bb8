/**
 * Signed PDF links for suspended customers: `/status` hands out 15-minute links to the archived
 * PDFs of the invoices to pay; `/api/files/invoices/<id>.pdf` serves the archived bytes without a
 * session, refuses a changed link (403) and an expired one (410) with a German JSON message, and
 * the suspended instance still reaches nothing else of the manage API.
 */
import { createHash } from "node:crypto";
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as filesGet } from "@/app/api/files/invoices/[file]/route";
import { GET as status } from "@/app/api/manage/status/route";
import { GET as invoiceList } from "@/app/api/manage/invoices/route";
import { GET as invoicePdf } from "@/app/api/manage/invoices/[id]/pdf/route";
import { GET as server } from "@/app/api/manage/server/route";
import { instances, invoices } from "@/db/schema";
import { PDF_LINK_TTL_SECONDS, pdfLinkSignature, signedPdfLink, verifyPdfLink } from "@/lib/invoices/pdf-link";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { loginAs } from "./helpers";

const database = useTestDatabase();
let nordlichtToken: string;
let nordlicht: typeof instances.$inferSelect;

/** GET of a file link without any session, keeping the body as bytes. */
async function download(url: string) {
  const parsed = new URL(url, "http://localhost:3000");
  const req = new NextRequest(parsed, { method: "GET", headers: { "x-forwarded-for": "203.0.113.30" } });
  const res = await filesGet(req, { params: Promise.resolve({ file: parsed.pathname.split("/").at(-1)! }) });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, json: () => JSON.parse(bytes.toString("utf8")) };
}

const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

beforeAll(async () => {
  nordlichtToken = await loginAs("info@nordlicht-design.de");
  [nordlicht] = await database.db().select().from(instances).where(eq(instances.name, "nordlicht"));
  expect(nordlicht!.suspended).toBe(true);
});

describe("signing and checking a link", () => {
  const now = new Date("2026-12-02T10:00:00Z");
  const parts = (url: string) => {
    const u = new URL(url, "http://x");
    return { file: u.pathname.split("/").at(-1)!, expires: u.searchParams.get("expires"), signature: u.searchParams.get("signature") };
  };

  it("is valid for 15 minutes and names the invoice", () => {
    const link = signedPdfLink(42, now);
    expect(link.url).toMatch(/^\/api\/files\/invoices\/42\.pdf\?expires=\d+&signature=[A-Za-z0-9_-]{43}$/);
    expect(link.expires_at).toBe("2026-12-02T10:15:00+00:00");
    const { file, expires, signature } = parts(link.url);
    expect(verifyPdfLink(file, expires, signature, now)).toEqual({ ok: true, invoiceId: 42 });
    expect(verifyPdfLink(file, expires, signature, new Date(now.getTime() + PDF_LINK_TTL_SECONDS * 1000 - 1000))).toEqual({ ok: true, invoiceId: 42 });
  });

  it("is expired from the 15th minute on, and only a genuine link is called expired", () => {
    const { file, expires, signature } = parts(signedPdfLink(42, now).url);
    expect(verifyPdfLink(file, expires, signature, new Date(now.getTime() + PDF_LINK_TTL_SECONDS * 1000))).toEqual({ ok: false, reason: "expired" });
    // A later expiry written into an expired link does not revive it: the signature no longer fits.
    expect(verifyPdfLink(file, String(Number(expires) + 3600), signature, new Date(now.getTime() + 16 * 60_000))).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses every change: another invoice, another expiry, another signature, missing parts", () => {
    const { file, expires, signature } = parts(signedPdfLink(42, now).url);
    expect(verifyPdfLink("43.pdf", expires, signature, now)).toEqual({ ok: false, reason: "invalid" });
    expect(verifyPdfLink(file, String(Number(expires) + 1), signature, now)).toEqual({ ok: false, reason: "invalid" });
    const flipped = `${signature!.slice(0, -1)}${signature!.endsWith("A") ? "B" : "A"}`;
    expect(verifyPdfLink(file, expires, flipped, now)).toEqual({ ok: false, reason: "invalid" });
    expect(verifyPdfLink(file, expires, null, now)).toEqual({ ok: false, reason: "invalid" });
    expect(verifyPdfLink(file, null, signature, now)).toEqual({ ok: false, reason: "invalid" });
    expect(verifyPdfLink("42", expires, signature, now)).toEqual({ ok: false, reason: "invalid" });
    expect(verifyPdfLink("042.pdf", expires, signature, now)).toEqual({ ok: false, reason: "invalid" });
  });

  it("signs with a key of its own: the signature differs per invoice and per expiry", () => {
    expect(pdfLinkSignature(1, 100)).not.toBe(pdfLinkSignature(2, 100));
    expect(pdfLinkSignature(1, 100)).not.toBe(pdfLinkSignature(1, 101));
    expect(pdfLinkSignature(1, 100)).toBe(pdfLinkSignature(1, 100));
  });
});

describe("the payment block of /status", () => {
  it("carries a 15-minute PDF link for each open invoice of the suspended instance", async () => {
    const before = Date.now();
    const res = await call(status, "GET", "/api/manage/status", { token: nordlichtToken });
    expect(res.status).toBe(200);
    const open = res.json.payment.open_invoices as { number: string; pdf_download: { url: string; expires_at: string } }[];
    expect(open.length).toBeGreaterThanOrEqual(2);
    const rows = await database.db().select({ id: invoices.id, number: invoices.invoiceNumber }).from(invoices).where(eq(invoices.instanceId, nordlicht.id));
    for (const invoice of open) {
      const id = rows.find((r) => r.number === invoice.number)!.id;
      expect(invoice.pdf_download.url).toMatch(new RegExp(`^/api/files/invoices/${id}\\.pdf\\?expires=\\d+&signature=[A-Za-z0-9_-]{43}$`));
      const ttl = Date.parse(invoice.pdf_download.expires_at) - before;
      expect(ttl).toBeGreaterThan(14 * 60_000);
      expect(ttl).toBeLessThanOrEqual(15 * 60_000 + 1000);
    }
  });

  it("is null for an instance that is not suspended (no links handed out)", async () => {
    const res = await call(status, "GET", "/api/manage/status", { token: await loginAs("admin@firma.de") });
    expect(res.json.payment).toBeNull();
  });
});

describe("GET /api/files/invoices/<id>.pdf", () => {
  async function linkFor(number: string) {
    const res = await call(status, "GET", "/api/manage/status", { token: nordlichtToken });
    return (res.json.payment.open_invoices as { number: string; pdf_download: { url: string } }[]).find((i) => i.number === number)!.pdf_download.url;
  }

  it("serves the archived bytes as they are stored, never a new rendering (no session needed)", async () => {
    const [row] = await database.db().select().from(invoices).where(and(eq(invoices.instanceId, nordlicht.id), isNotNull(invoices.issuedAt), isNull(invoices.pdf)));
    expect(row).toBeDefined();
    // Archive bytes no renderer produces: anything rendered now would differ.
    const archived = Buffer.from(`%PDF-1.7\n% archiviert ${row!.invoiceNumber}\n%%EOF\n`);
    await database.db().update(invoices).set({ pdf: archived, pdfSha256: sha(archived) }).where(eq(invoices.id, row!.id));

    const res = await download(await linkFor(row!.invoiceNumber!));
    expect(res.status).toBe(200);
    expect(res.bytes.equals(archived)).toBe(true);
    expect(sha(res.bytes)).toBe(sha(archived));
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${row!.invoiceNumber}.pdf"`);
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("serves an invoice not archived yet from the archive it writes once: the same bytes each time, equal to the stored ones and their SHA-256", async () => {
    const [row] = await database.db().select().from(invoices).where(and(eq(invoices.instanceId, nordlicht.id), isNotNull(invoices.issuedAt), isNull(invoices.pdf)));
    expect(row).toBeDefined();
    const url = await linkFor(row!.invoiceNumber!);
    const first = await download(url);
    const second = await download(url);
    expect(first.status).toBe(200);
    expect(first.bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(second.bytes.equals(first.bytes)).toBe(true);
    const [stored] = await database.db().select({ pdf: invoices.pdf, sha: invoices.pdfSha256 }).from(invoices).where(eq(invoices.id, row!.id));
    expect(stored!.pdf!.equals(first.bytes)).toBe(true);
    expect(stored!.sha).toBe(sha(first.bytes));
  });

  it("answers 403 with a German message for a changed link, and 410 for an expired one", async () => {
    const [row] = await database.db().select().from(invoices).where(and(eq(invoices.instanceId, nordlicht.id), isNotNull(invoices.issuedAt)));
    const url = await linkFor(row!.invoiceNumber!);
    const tampered = url.replace(/signature=([A-Za-z0-9_-])/, (_, c: string) => `signature=${c === "A" ? "B" : "A"}`);
    const bad = await download(tampered);
    expect(bad.status).toBe(403);
    expect(bad.headers.get("content-type")).toContain("application/json");
    expect(bad.headers.get("cache-control")).toContain("no-store");
    expect(bad.json()).toEqual({ message: expect.stringContaining("Der Download-Link ist ungültig"), reason: "invalid" });

    const otherInvoice = await download(url.replace(`/${row!.id}.pdf`, `/${row!.id + 1}.pdf`));
    expect(otherInvoice.status).toBe(403);

    const old = signedPdfLink(row!.id, new Date(Date.now() - 16 * 60_000));
    const expired = await download(old.url);
    expect(expired.status).toBe(410);
    expect(expired.json()).toEqual({ message: expect.stringContaining("Der Download-Link ist abgelaufen"), reason: "expired" });

    expect((await download(`/api/files/invoices/${row!.id}.pdf`)).status).toBe(403);
  });

  it("answers 404 for a genuine link to an invoice that does not exist or is a draft", async () => {
    const missing = await download(signedPdfLink(999_999).url);
    expect(missing.status).toBe(404);
    expect(missing.json().message).toMatch(/nicht gefunden/i);
    const [draft] = await database.db().select({ id: invoices.id }).from(invoices).where(isNull(invoices.issuedAt));
    const res = await download(signedPdfLink(draft!.id).url);
    expect(res.status).toBe(404);
    expect(res.json().message).toBe("Für Entwürfe gibt es noch kein PDF.");
  });
});

describe("the suspended instance still reaches only /auth/* and /status of the manage API", () => {
  it("is refused the invoice list, the invoice PDF and the server", async () => {
    const [row] = await database.db().select({ id: invoices.id }).from(invoices).where(and(eq(invoices.instanceId, nordlicht.id), isNotNull(invoices.issuedAt)));
    for (const res of [
      await call(invoiceList, "GET", "/api/manage/invoices", { token: nordlichtToken }),
      await call(invoicePdf, "GET", `/api/manage/invoices/${row!.id}/pdf`, { token: nordlichtToken, params: { id: String(row!.id) } }),
      await call(server, "GET", "/api/manage/server", { token: nordlichtToken }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.json).toMatchObject({ suspended: true, message: expect.stringContaining("Ihre Instanz ist gesperrt") });
    }
  });
});
