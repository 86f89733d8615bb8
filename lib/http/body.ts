import type { z } from "zod";
import "@/lib/validation";
import { config } from "@/lib/config";
import { BadRequestError, PayloadTooLargeError, ValidationError, type FieldErrors } from "@/lib/errors";

/** The raw body, read with a cap: more than `maxBytes` (declared or streamed) throws `tooLargeError()`. */
export async function readBodyBytes(req: Request, maxBytes: number, tooLargeError: () => Error = () => tooLarge(maxBytes)): Promise<Buffer> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLargeError();
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLargeError();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Reads a JSON body with a size cap; malformed JSON and oversize bodies are 4xx, never 500. */
export async function readJsonBody(req: Request, maxBytes = config().MAX_BODY_BYTES): Promise<unknown> {
  const text = (await readBodyBytes(req, maxBytes)).toString("utf8").trim();
  if (text === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError("Der Anfrageinhalt ist kein gültiges JSON.");
  }
}

function tooLarge(maxBytes: number) {
  return new PayloadTooLargeError(`Der Anfrageinhalt ist zu groß (höchstens ${Math.floor(maxBytes / 1024)} KB).`);
}

/** C0 control characters except tab, line feed and carriage return, and DEL: never part of a text field. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
export const CONTROL_CHARACTER_MESSAGE = "Das Feld enthält unzulässige Steuerzeichen.";
/**
 * A UTF-16 surrogate without its partner (`"\ud800"` in JSON): not a
 * character, cannot be encoded as UTF-8, and PostgreSQL refuses it in text
 * and jsonb alike.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const LONE_SURROGATE_MESSAGE = "Das Feld enthält ungültige Zeichen (ein halbes Unicode-Zeichenpaar).";

function badCharacters(text: string): string | null {
  if (CONTROL_CHARACTERS.test(text)) return CONTROL_CHARACTER_MESSAGE;
  if (LONE_SURROGATE.test(text)) return LONE_SURROGATE_MESSAGE;
  return null;
}

/**
 * Refuses control characters (NUL above all, which PostgreSQL cannot store in
 * text) and lone surrogates anywhere in the input with 422, before any schema or database sees it.
 */
export function rejectControlCharacters(input: unknown, path: string[] = [], depth = 0): void {
  if (depth > 32) throw new BadRequestError("Der Anfrageinhalt ist zu tief verschachtelt.");
  if (typeof input === "string") {
    const bad = badCharacters(input);
    if (bad) throw new ValidationError({ [path.length > 0 ? path.join(".") : "body"]: [bad] });
    return;
  }
  if (Array.isArray(input)) {
    input.forEach((item, index) => rejectControlCharacters(item, [...path, String(index)], depth + 1));
    return;
  }
  if (input !== null && typeof input === "object") {
    for (const [key, value] of Object.entries(input)) {
      const bad = badCharacters(key);
      if (bad) throw new ValidationError({ [[...path, "key"].join(".")]: [bad] });
      rejectControlCharacters(value, [...path, key], depth + 1);
    }
  }
}

export function validate<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  rejectControlCharacters(input);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : "body";
    (fields[key] ??= []).push(issue.message);
  }
  throw new ValidationError(fields);
}

export async function parseJsonBody<T extends z.ZodType>(req: Request, schema: T): Promise<z.infer<T>> {
  const body = await readJsonBody(req);
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new BadRequestError("Der Anfrageinhalt muss ein JSON-Objekt sein.");
  }
  return validate(schema, body);
}

export function parseQuery<T extends z.ZodType>(req: Request, schema: T): z.infer<T> {
  const params = Object.fromEntries(new URL(req.url).searchParams.entries());
  return validate(schema, params);
}
