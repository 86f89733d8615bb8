import type { Metadata } from "next";
import { MailOutbox } from "@/components/mail/mail-outbox";
import { requireStaff } from "@/lib/doors/pages/guards";

export const metadata: Metadata = { title: "Mails" };

export default async function MailsPage() {
  await requireStaff("tenant.manage");
  return <MailOutbox />;
}
