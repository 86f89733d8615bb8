/**
 * Where a queued mail goes. `resend`: the Resend API (RESEND_BASE_URL points it
 * at a local stand-in in tests), with the outbox row's idempotency key so a
 * retry after a crash is delivered at most once. `outbox`: development and
 * tests only; the outbox row itself is the captured mail, nothing leaves.
 */
import { config } from "@/lib/config";

export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  html: string | null;
  attachments: { filename: string; contentType: string; content?: string }[] | null;
  idempotencyKey: string;
};

export type DeliveryResult = { providerMessageId: string | null };

export class MailDeliveryError extends Error {
  constructor(message: string, readonly permanent = false) {
    super(message);
  }
}

export async function deliver(mail: OutgoingMail): Promise<DeliveryResult> {
  const cfg = config();
  if (cfg.mailTransport === "outbox") return { providerMessageId: null };
  const { Resend } = await import("resend");
  const resend = new Resend(cfg.RESEND_API_KEY);
  const { data, error } = await resend.emails.send(
    {
      from: cfg.MAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      ...(mail.html ? { html: mail.html } : {}),
      attachments: mail.attachments?.map((a) => ({ filename: a.filename, content: Buffer.from(a.content ?? "", "base64"), contentType: a.contentType })),
    },
    { idempotencyKey: mail.idempotencyKey },
  );
  if (error) {
    // 4xx other than 429 will not get better by retrying (bad address, rejected content).
    const status = (error as { statusCode?: number | null }).statusCode ?? 0;
    throw new MailDeliveryError(`${error.name}: ${error.message}`.slice(0, 500), status >= 400 && status < 500 && status !== 429);
  }
  return { providerMessageId: data?.id ?? null };
}
