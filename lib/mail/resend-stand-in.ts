/**
 * A local stand-in for the Resend API (`POST /emails`), for tests and the
 * multi-process test: the app talks to it through the real Resend client
 * (RESEND_BASE_URL). It honours `Idempotency-Key` like Resend (same key →
 * same answer, stored once), can be told to fail (provider outage) and lets
 * tests read what was "sent" (`GET /emails?to=`). Never part of the app.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export type StoredMail = {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text?: string;
  html?: string;
  attachments: { filename: string; size: number }[];
  idempotencyKey: string | null;
  receivedAt: string;
};

export type ResendStandIn = {
  url: string;
  apiKey: string;
  mails: StoredMail[];
  /** Answer the next `count` sends with `status` (default 503), as during an outage. */
  failNext(count: number, status?: number): void;
  /** Accept the next send, then drop the connection without answering (the caller cannot know it was sent). */
  dropNextResponse(): void;
  requests: number;
  close(): Promise<void>;
};

export async function startResendStandIn(opts: { port?: number; apiKey?: string } = {}): Promise<ResendStandIn> {
  const apiKey = opts.apiKey ?? "re_test_stand_in";
  const mails: StoredMail[] = [];
  const byKey = new Map<string, StoredMail>();
  let failures: { count: number; status: number } = { count: 0, status: 503 };
  let drop = false;
  const state = { requests: 0 };

  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (req.method === "GET" && url.pathname === "/emails") {
      const to = url.searchParams.get("to")?.toLowerCase();
      return send(200, { data: mails.filter((m) => !to || m.to.includes(to)).slice().reverse() });
    }
    if (req.method !== "POST" || url.pathname !== "/emails") return send(404, { statusCode: 404, name: "not_found", message: "Not found" });
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      state.requests++;
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        return send(401, { statusCode: 401, name: "validation_error", message: "API key is invalid" });
      }
      if (failures.count > 0) {
        failures.count--;
        return send(failures.status, { statusCode: failures.status, name: "application_error", message: "Service unavailable" });
      }
      const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
      const existing = key ? byKey.get(key) : undefined;
      if (existing) return send(200, { id: existing.id });
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return send(422, { statusCode: 422, name: "validation_error", message: "Invalid JSON" });
      }
      const to = ([] as string[]).concat((body.to as string | string[]) ?? []).map((t) => t.toLowerCase());
      if (to.length === 0 || typeof body.subject !== "string") {
        return send(422, { statusCode: 422, name: "validation_error", message: "Missing `to` or `subject`" });
      }
      const mail: StoredMail = {
        id: randomUUID(),
        from: String(body.from ?? ""),
        to,
        subject: body.subject,
        text: body.text as string | undefined,
        html: body.html as string | undefined,
        attachments: ((body.attachments as { filename: string; content: unknown }[] | undefined) ?? []).map((a) => ({
          filename: a.filename,
          size: Array.isArray(a.content) ? a.content.length : typeof a.content === "string" ? Buffer.from(a.content, "base64").length : 0,
        })),
        idempotencyKey: key,
        receivedAt: new Date().toISOString(),
      };
      mails.push(mail);
      if (key) byKey.set(key, mail);
      if (drop) {
        drop = false;
        req.socket.destroy();
        return;
      }
      send(200, { id: mail.id });
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    mails,
    failNext(count, status = 503) {
      failures = { count, status };
    },
    dropNextResponse() {
      drop = true;
    },
    get requests() {
      return state.requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
