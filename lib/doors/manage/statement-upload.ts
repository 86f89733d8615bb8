import { BadRequestError, PayloadTooLargeError } from "@/lib/errors";
import { readBodyBytes } from "@/lib/http/body";
import { MAX_STATEMENT_BYTES } from "@/lib/payments/import";

const TOO_LARGE = "Der Kontoauszug ist zu groß (höchstens 5 MB).";

const readCapped = (req: Request, max: number) => readBodyBytes(req, max, () => new PayloadTooLargeError(TOO_LARGE));

/**
 * The uploaded statement: multipart/form-data (field `file`) or the raw XML as body.
 * Over 5 MB → 413 (checked on the declared length and while reading).
 */
export async function readStatementUpload(req: Request): Promise<{ bytes: Buffer; filename: string | null }> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  // multipart adds a few hundred bytes of framing around the file
  if (declared > MAX_STATEMENT_BYTES + 64 * 1024) throw new PayloadTooLargeError(TOO_LARGE);
  const type = req.headers.get("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    const raw = await readCapped(req, MAX_STATEMENT_BYTES + 64 * 1024);
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(raw), { headers: { "content-type": type } }).formData();
    } catch {
      throw new BadRequestError("Der Upload konnte nicht gelesen werden.");
    }
    const file = form.get("file");
    if (!file || typeof file === "string") throw new BadRequestError("Bitte eine Datei im Feld „file“ hochladen.");
    if (file.size > MAX_STATEMENT_BYTES) throw new PayloadTooLargeError(TOO_LARGE);
    return { bytes: Buffer.from(await file.arrayBuffer()), filename: file.name || null };
  }
  const bytes = await readCapped(req, MAX_STATEMENT_BYTES);
  if (bytes.length === 0) throw new BadRequestError("Bitte einen CAMT.053-Kontoauszug hochladen.");
  return { bytes, filename: new URL(req.url).searchParams.get("filename") };
}
