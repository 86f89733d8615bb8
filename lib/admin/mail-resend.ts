/**
 * Staff "Erneut senden" of a failed mail. A mail without a link or code is
 * simply queued again. A mail that carried one (reset link, invitation link,
 * sign-in code) is replaced: its sealed secret is dropped, so the old link or
 * code never leaves, and a fresh one is issued and mailed to the account's own
 * current address. The answer names the address and nothing of the secret,
 * so the staff view never holds a working link or code.
 */
import { and, eq, isNotNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import { mailOutbox, users } from "@/db/schema";
import { recordActivity } from "@/lib/activity";
import { reissuePasswordReset, PASSWORD_RESET_MAIL_KEY } from "@/lib/auth/passwords-flow";
import { reissueTwoFactorCode } from "@/lib/auth/two-factor";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { secretNote } from "@/lib/mail/secrets";
import { resendMail } from "@/lib/mail/staff";
import type { Actor } from "./instances";
import { INVITATION_MAIL_KEY, sendInvitation } from "./users";

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

type SecretMail = { kind: "reset" | "invite" | "code"; id: string } | null;

/** What a failed mail's link or code was, from its key. */
function secretMailKind(key: string | null): SecretMail {
  const reset = new RegExp(`^${PASSWORD_RESET_MAIL_KEY}(${UUID}):`).exec(key ?? "");
  if (reset) return { kind: "reset", id: reset[1] };
  const invite = new RegExp(`^${INVITATION_MAIL_KEY}(${UUID}):`).exec(key ?? "");
  if (invite) return { kind: "invite", id: invite[1] };
  const code = new RegExp(`^2fa-(${UUID})(?:-|$)`).exec(key ?? "");
  if (code) return { kind: "code", id: code[1] };
  return null;
}

export async function resendFailedMail(actor: Actor, input: { mailId: number }, options?: CommandOptions) {
  const id = input.mailId;
  const db = options?.tx ?? (await getDb());
  const [mail] = await db
    .select({ id: mailOutbox.id, status: mailOutbox.status, key: mailOutbox.idempotencyKey, sealed: mailOutbox.secretsSealed, text: mailOutbox.text })
    .from(mailOutbox)
    .where(eq(mailOutbox.id, id));
  if (!mail) throw new NotFoundError("Mail nicht gefunden.");
  if (mail.status !== "failed") throw new ConflictError("Nur fehlgeschlagene Mails können erneut gesendet werden.");
  const secret = secretMailKind(mail.key);
  if (!mail.sealed) {
    // A replaced mail holds only the note where its link or code was: sending it again would help nobody.
    if (secret || mail.text.includes(secretNote(0))) throw new ConflictError("Diese Mail wurde bereits durch eine neue mit frischem Link bzw. Code ersetzt.");
    return resendMail(id, options?.tx);
  }
  return inTransaction(options, async (tx) => {
    // The old link or code never leaves: its sealed copy goes, the row stays as the failed record.
    const [claimed] = await tx
      .update(mailOutbox)
      .set({ secretsSealed: null, lastError: "Ersetzt: ein neuer Link bzw. Code wurde an die Adresse des Kontos gesendet." })
      .where(and(eq(mailOutbox.id, id), eq(mailOutbox.status, "failed"), isNotNull(mailOutbox.secretsSealed)))
      .returning({ id: mailOutbox.id });
    if (!claimed) throw new ConflictError("Diese Mail wurde bereits ersetzt.");
    let issued: { mailId: number | null; to: string } | null = null;
    if (secret?.kind === "reset") issued = await reissuePasswordReset(tx, secret.id);
    else if (secret?.kind === "code") issued = await reissueTwoFactorCode(tx, secret.id);
    else if (secret?.kind === "invite") {
      const [user] = await tx.select().from(users).where(eq(users.id, secret.id));
      if (user && user.active && !user.passwordHash) {
        issued = { mailId: await sendInvitation(actor, user, { tx }), to: user.email };
      }
    }
    if (!issued) {
      throw new ConflictError(
        secret?.kind === "code"
          ? "Die Anmeldung zu diesem Code ist vorbei. Der Benutzer meldet sich einfach erneut an und bekommt einen neuen Code."
          : "Für diese Mail kann kein neuer Link ausgestellt werden (Konto deaktiviert, Einladung angenommen oder unbekannter Inhalt).",
      );
    }
    await recordActivity(tx, actor, {
      instanceId: null,
      action: "admin.mail_resent",
      description: `Fehlgeschlagene Mail #${id} ersetzt: neuer ${secret?.kind === "code" ? "Code" : "Link"} an ${issued.to}`,
      metadata: { mail_id: id, new_mail_id: issued.mailId, kind: secret?.kind },
    });
    return {
      message: `Ein neuer ${secret?.kind === "code" ? "Code" : "Link"} geht an die Adresse des Kontos (${issued.to}). Der alte wurde nie zugestellt und wird nicht mehr gesendet.`,
      mail: { id: issued.mailId, status: "queued" as const },
    };
  });
}
