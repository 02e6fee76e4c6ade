import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  locale: string;
}

/** Something that can deliver an email. Delivery failures throw, and the job retries. */
export interface MailTransport {
  readonly name: string;
  send(message: OutgoingEmail): Promise<void>;
  close?(): void;
}

/** Sends through an SMTP server (`TRILLIUM_SMTP_URL`). */
export function smtpTransport(url: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    name: 'smtp',
    async send(message) {
      await transporter.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        headers: { 'Content-Language': message.locale === 'fr' ? 'fr-CA' : 'en-CA' },
      });
    },
    close: () => transporter.close(),
  };
}

/**
 * Development transport: writes each message to the log; administrators also read it on the
 * outbox page. Nothing leaves the machine.
 */
export function logTransport(logger: Logger): MailTransport {
  return {
    name: 'log',
    async send(message) {
      logger.info({ to: message.to, subject: message.subject, text: message.text }, 'email (log transport, not sent)');
    },
  };
}
