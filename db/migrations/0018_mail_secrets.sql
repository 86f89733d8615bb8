-- Links and codes in mails are stored redacted; the secrets themselves are
-- kept sealed until the transport has them (lib/mail/secrets.ts).
ALTER TABLE "mail_outbox" ADD COLUMN "secrets_sealed" text;
