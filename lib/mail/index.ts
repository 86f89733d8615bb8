export { enqueueMail, sendMail, readOutbox, type Mail, type MailAttachment } from "./queue";
export { deliverDueMails, requeueMail, backoffSeconds, MAIL_MAX_ATTEMPTS } from "./deliver";
