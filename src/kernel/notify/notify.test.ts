import type { AddressInfo } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { jobsTable } from '../jobs/index.js';
import { outbox, smtpTransport } from './index.js';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

let server: SMTPServer;
let port: number;
const received: Received[] = [];
let t: TestApp;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('refused')) {
        const error = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
  t = await createTestApp({
    transport: smtpTransport(`smtp://127.0.0.1:${port}`, 'Trillium <no-reply@example.test>'),
  });
});

afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

/** Headers (unfolded) and the decoded text body of a raw message. */
function parse(raw: string): { headers: Record<string, string>; body: string } {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = rest.join('\n\n');
  if (/quoted-printable/i.test(headers['content-transfer-encoding'] ?? '')) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  } else if (/base64/i.test(headers['content-transfer-encoding'] ?? '')) {
    body = Buffer.from(body, 'base64').toString('utf8');
  }
  return { headers, body };
}

async function deliveryJob(outboxId: string) {
  const [job] = await t.database.db
    .select()
    .from(jobsTable)
    .where(sql`${jobsTable.payload}->>'id' = ${outboxId}`);
  return job!;
}

describe('email through a real SMTP server', () => {
  it('delivers a queued message in the recipient’s language and marks it sent', async () => {
    const id = await t.database.transaction((tx) =>
      t.app.kernel.notify.email(tx, {
        to: 'marie@example.test',
        locale: 'fr',
        key: 'identity.emails.verify',
        params: { name: 'Marie', link: 'http://x.example/verify?token=abc' },
      }),
    );
    expect(received).toHaveLength(0); // nothing leaves before the job runs
    expect(await t.app.kernel.notify.get(id)).toMatchObject({
      status: 'pending',
      attempts: 0,
      subject: 'Confirmez votre adresse courriel',
      locale: 'fr',
    });

    await t.app.kernel.jobs.runUntilIdle();
    expect(received).toHaveLength(1);
    const message = received[0]!;
    expect(message.from).toBe('no-reply@example.test');
    expect(message.to).toEqual(['marie@example.test']);
    const { headers, body } = parse(message.raw);
    expect(headers['subject']).toBe('Confirmez votre adresse courriel');
    expect(headers['to']).toBe('marie@example.test');
    expect(headers['from']).toBe('Trillium <no-reply@example.test>');
    expect(headers['content-language']).toBe('fr-CA');
    expect(body).toContain('Bonjour Marie,');
    expect(body).toContain('http://x.example/verify?token=abc');
    expect(body).toContain('Si vous n’avez pas créé de compte');

    const row = await t.app.kernel.notify.get(id);
    expect(row).toMatchObject({ status: 'sent', transport: 'smtp', attempts: 1, lastError: null });
    expect(row!.sentAt).toBeInstanceOf(Date);
    expect((await deliveryJob(id)).status).toBe('succeeded');

    // Running the queue again sends nothing twice.
    await t.app.kernel.jobs.runUntilIdle();
    expect(received).toHaveLength(1);
  });

  it('uses English for an English recipient', async () => {
    const before = received.length;
    await t.database.transaction((tx) =>
      t.app.kernel.notify.email(tx, {
        to: 'ada@example.test',
        locale: 'en',
        key: 'identity.emails.verify',
        params: { name: 'Ada', link: 'http://x.example/v' },
      }),
    );
    await t.app.kernel.jobs.runUntilIdle();
    expect(received).toHaveLength(before + 1);
    const { headers, body } = parse(received.at(-1)!.raw);
    expect(headers['content-language']).toBe('en-CA');
    expect(headers['subject']).not.toBe('Confirmez votre adresse courriel');
    expect(body).toContain('Ada');
  });

  it('never sends a message queued in a transaction that rolled back', async () => {
    const before = received.length;
    await expect(
      t.database.transaction(async (tx) => {
        await t.app.kernel.notify.email(tx, {
          to: 'ghost@example.test',
          locale: 'en',
          key: 'identity.emails.verify',
          params: { name: 'Ghost', link: 'http://x' },
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(
      await t.database.db.select().from(outbox).where(eq(outbox.recipient, 'ghost@example.test')),
    ).toHaveLength(0);
    await t.app.kernel.jobs.runUntilIdle();
    expect(received).toHaveLength(before);
  });

  it('a delivery failure leaves the message pending with the error, and the job retrying later', async () => {
    const before = received.length;
    const id = await t.database.transaction((tx) =>
      t.app.kernel.notify.email(tx, {
        to: 'refused@example.test',
        locale: 'fr',
        key: 'identity.emails.verify',
        params: { name: 'Refusé', link: 'http://x' },
      }),
    );
    await t.app.kernel.jobs.runUntilIdle();
    expect(received).toHaveLength(before);
    const row = await t.app.kernel.notify.get(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, transport: null, sentAt: null });
    expect(row!.lastError).toMatch(/550|Mailbox unavailable/);
    const job = await deliveryJob(id);
    expect(job).toMatchObject({ status: 'queued', attempts: 1, maxAttempts: 8 });
    expect(job.lastError).toMatch(/550|Mailbox unavailable/);
    expect(job.runAt.getTime()).toBeGreaterThan(Date.now());

    // The next attempt (made due now) fails the same way and counts again.
    await t.database.db
      .update(jobsTable)
      .set({ runAt: new Date(Date.now() - 1000) })
      .where(eq(jobsTable.id, job.id));
    await t.app.kernel.jobs.runUntilIdle();
    expect(await t.app.kernel.notify.get(id)).toMatchObject({ status: 'pending', attempts: 2 });
    expect(await deliveryJob(id)).toMatchObject({ status: 'queued', attempts: 2 });
  });

  // Regression: the 'failed' status used to be written by nothing, so a message whose delivery had
  // been given up still read 'pending' on the administrators' outbox page.
  it('a message whose delivery job gave up is marked failed', async () => {
    const [row] = await t.database.db
      .select()
      .from(outbox)
      .where(eq(outbox.recipient, 'refused@example.test'));
    const job = await deliveryJob(row!.id);
    await t.database.db
      .update(jobsTable)
      .set({ attempts: job.maxAttempts - 1, runAt: new Date(Date.now() - 1000) })
      .where(eq(jobsTable.id, job.id));
    await t.app.kernel.jobs.runUntilIdle();
    expect((await deliveryJob(row!.id)).status).toBe('failed');
    expect((await t.app.kernel.notify.get(row!.id))!.status).toBe('failed');
  });

  it('lists messages newest first', async () => {
    const list = await t.app.kernel.notify.list(10);
    expect(list[0]!.recipient).toBe('refused@example.test');
    expect(list.map((m) => m.recipient)).toContain('marie@example.test');
  });
});
