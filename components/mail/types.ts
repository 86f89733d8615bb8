import type { listMails, resendMail } from "@/lib/mail/staff";

export type MailList = Awaited<ReturnType<typeof listMails>>;
export type OutboxMail = MailList["mails"][number];
export type ResendResult = Awaited<ReturnType<typeof resendMail>>;
