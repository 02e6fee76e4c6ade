import { desc, eq } from 'drizzle-orm';
import type { Database, Db } from '../db/index.js';
import type { Locale, Messages, MessageParams } from '../i18n/index.js';
import type { JobQueue } from '../jobs/index.js';
import { outbox } from './schema.js';
import type { MailTransport } from './transports.js';

export { outbox } from './schema.js';
export { logTransport, smtpTransport, type MailTransport, type OutgoingEmail } from './transports.js';

export interface EmailRequest {
  to: string;
  locale: Locale;
  /** Message keys: `<key>.subject` and `<key>.body` in the module's locale files. */
  key: string;
  params?: MessageParams;
}

export interface OutboxMessage {
  id: string;
  channel: string;
  recipient: string;
  locale: string;
  subject: string;
  body: string;
  kind: string;
  status: string;
  transport: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

const deliverJob = 'kernel.deliver-message';

/** Sends notifications through the outbox: written with the change, delivered by a job. */
export class Notifier {
  constructor(
    private readonly database: Database,
    private readonly messages: Messages,
    private readonly jobs: JobQueue,
    readonly transport: MailTransport,
  ) {
    jobs.register<{ id: string }>(deliverJob, ({ payload, lastAttempt }) => this.deliver(payload.id, lastAttempt));
  }

  /**
   * Queues an email in the recipient's language. Call it with the action's transaction so the
   * message is sent only if the change commits.
   */
  async email(tx: Db, request: EmailRequest): Promise<string> {
    const subject = this.messages.t(request.locale, `${request.key}.subject`, request.params);
    const body = this.messages.t(request.locale, `${request.key}.body`, request.params);
    const [row] = await tx
      .insert(outbox)
      .values({ channel: 'email', recipient: request.to, locale: request.locale, subject, body, kind: request.key })
      .returning({ id: outbox.id });
    await this.jobs.enqueue(tx, deliverJob, { id: row!.id }, { maxAttempts: 8 });
    return row!.id;
  }

  async list(limit = 100): Promise<OutboxMessage[]> {
    return this.database.db.select().from(outbox).orderBy(desc(outbox.createdAt)).limit(limit);
  }

  async get(id: string): Promise<OutboxMessage | null> {
    const [row] = await this.database.db.select().from(outbox).where(eq(outbox.id, id)).limit(1);
    return row ?? null;
  }

  /** Sends one message; after the last failed attempt the message is marked `failed` for administrators. */
  private async deliver(id: string, lastAttempt: boolean): Promise<void> {
    const db = this.database.db;
    const [message] = await db.select().from(outbox).where(eq(outbox.id, id)).limit(1);
    if (!message || message.status === 'sent') return;
    try {
      await this.transport.send({ to: message.recipient, subject: message.subject, text: message.body, locale: message.locale });
      await db.update(outbox).set({ status: 'sent', sentAt: new Date(), transport: this.transport.name, attempts: message.attempts + 1 }).where(eq(outbox.id, id));
    } catch (error) {
      await db
        .update(outbox)
        .set({ attempts: message.attempts + 1, lastError: (error as Error).message.slice(0, 1000), ...(lastAttempt ? { status: 'failed' as const } : {}) })
        .where(eq(outbox.id, id));
      throw error;
    }
  }
}
