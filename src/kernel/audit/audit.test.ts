import { randomBytes } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { system, type Actor } from '../auth/actor.js';
import { rows, type Db } from '../db/index.js';
import {
  auditLog,
  canonicalJson,
  chainHead,
  entryHash,
  genesisHash,
  listEntries,
  record,
  verifyChain,
  type ActionContext,
} from './index.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const person: Actor = {
  ...system,
  kind: 'account',
  superadmin: false,
  accountId: '00000000-0000-4000-8000-000000000001',
};
const ctx: ActionContext = { actor: person, requestId: 'req-audit-1' };

/** The message of an error and of every error it wraps (Drizzle wraps driver errors). */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
    parts.push(String(e.message));
  return parts.join(' | ');
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return describeError(error);
  }
  throw new Error('expected the statement to fail');
}

async function allEntries() {
  return t.database.db.select().from(auditLog).orderBy(asc(auditLog.id));
}

async function lastHash(): Promise<string> {
  const entries = await allEntries();
  return entries.at(-1)?.hash ?? genesisHash;
}

/** Runs `statement` with user triggers off (superuser only), the way a database owner could bypass them. */
async function bypassingTriggers(statement: ReturnType<typeof sql>) {
  await t.database.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(statement);
  });
}

describe('record()', () => {
  it('appends chained entries inside the caller’s transaction', async () => {
    const before = await lastHash();
    await t.database.transaction(async (tx) => {
      await record(
        tx,
        ctx,
        { action: 'probe.created', targetType: 'probe', targetId: 'p1', details: { b: 2, a: 1 } },
        {
          action: 'probe.updated',
          targetType: 'probe',
          targetId: 'p1',
          subjectId: person.accountId,
          purpose: 'probe.purpose',
        },
      );
    });
    const entries = await allEntries();
    const [first, second] = entries.slice(-2);
    expect(first!.prevHash).toBe(before);
    expect(second!.prevHash).toBe(first!.hash);
    expect(first!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(first).toMatchObject({
      actorKind: 'account',
      actorId: person.accountId,
      action: 'probe.created',
      targetId: 'p1',
      requestId: 'req-audit-1',
      details: { a: 1, b: 2 },
      subjectId: null,
    });
    expect(second).toMatchObject({ subjectId: person.accountId, purpose: 'probe.purpose', details: {} });
    expect(entryHash(first!)).toBe(first!.hash);

    // A later transaction continues the chain.
    await t.database.transaction((tx) => record(tx, { actor: system }, { action: 'probe.system' }));
    const third = (await allEntries()).at(-1)!;
    expect(third.prevHash).toBe(second!.hash);
    expect(third).toMatchObject({ actorKind: 'system', actorId: null, requestId: null });
  });

  it('writes nothing when the transaction rolls back', async () => {
    const before = await allEntries();
    await expect(
      t.database.transaction(async (tx) => {
        await record(tx, ctx, { action: 'probe.rolled-back' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const after = await allEntries();
    expect(after).toHaveLength(before.length);
    expect(after.some((e) => e.action === 'probe.rolled-back')).toBe(false);
    expect(await verifyChain(t.database.db)).toEqual({
      ok: true,
      entries: after.length,
      head: { id: after.at(-1)!.id, hash: after.at(-1)!.hash },
    });
  });

  it('keeps one chain when transactions record concurrently', async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.database.transaction((tx) => record(tx, ctx, { action: 'probe.concurrent', details: { i } })),
      ),
    );
    const entries = await allEntries();
    expect(entries.filter((e) => e.action === 'probe.concurrent')).toHaveLength(8);
    expect(await verifyChain(t.database.db)).toMatchObject({ ok: true, entries: entries.length });
  });

  it('verifies across batches', async () => {
    const entries = await allEntries();
    expect(await verifyChain(t.database.db, { batchSize: 2 })).toEqual({
      ok: true,
      entries: entries.length,
      head: await chainHead(t.database.db),
    });
  });

  it('lists entries newest first with filters and keyset paging', async () => {
    const mine = await listEntries(t.database.db, { targetType: 'probe', targetId: 'p1' });
    expect(mine.map((e) => e.action)).toEqual(['probe.updated', 'probe.created']);
    const older = await listEntries(t.database.db, { targetId: 'p1', beforeId: mine[0]!.id });
    expect(older.map((e) => e.action)).toEqual(['probe.created']);
    expect(
      await listEntries(t.database.db, { subjectId: person.accountId!, action: 'probe.updated' }),
    ).toHaveLength(1);
  });

  it('hashes canonical JSON, independent of key order', () => {
    expect(canonicalJson({ b: [1, { d: 1, c: null }], a: 'x', u: undefined })).toBe(
      '{"a":"x","b":[1,{"c":null,"d":1}]}',
    );
    const base = {
      prevHash: genesisHash,
      at: new Date('2024-01-01T00:00:00Z'),
      actorKind: 'system',
      actorId: null,
      organizationId: null,
      action: 'x',
      targetType: null,
      targetId: null,
      subjectId: null,
      purpose: null,
      requestId: null,
    };
    expect(entryHash({ ...base, details: { a: 1, b: 2 } })).toBe(
      entryHash({ ...base, details: { b: 2, a: 1 } }),
    );
    expect(entryHash({ ...base, details: { a: 1 } })).not.toBe(entryHash({ ...base, details: { a: 2 } }));
  });
});

describe('the audit log is append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE, even for the database superuser', async () => {
    const db = t.database.db;
    const count = (await allEntries()).length;
    expect(count).toBeGreaterThan(0);
    expect(await failure(db.execute(sql`update kernel.audit_log set action = 'forged'`))).toMatch(
      /kernel\.audit_log is append-only \(UPDATE refused\)/,
    );
    expect(await failure(db.execute(sql`delete from kernel.audit_log`))).toMatch(
      /append-only \(DELETE refused\)/,
    );
    expect(await failure(db.execute(sql`truncate kernel.audit_log`))).toMatch(
      /append-only \(TRUNCATE refused\)/,
    );
    expect(
      await failure(db.update(auditLog).set({ details: {} }).where(eq(auditLog.action, 'probe.created'))),
    ).toMatch(/append-only/);
    expect((await allEntries()).length).toBe(count);
    expect((await allEntries()).some((e) => e.action === 'forged')).toBe(false);
  });

  it('the migration took UPDATE, DELETE and TRUNCATE away from the table owner', async () => {
    const granted = await rows<{ privilege_type: string }>(
      t.database.db,
      sql`select a.privilege_type from pg_class c cross join lateral aclexplode(c.relacl) a
          where c.oid = 'kernel.audit_log'::regclass and a.grantee = c.relowner`,
    );
    const privileges = granted.map((r) => r.privilege_type);
    expect(privileges).toEqual(expect.arrayContaining(['INSERT', 'SELECT']));
    expect(privileges).not.toContain('UPDATE');
    expect(privileges).not.toContain('DELETE');
    expect(privileges).not.toContain('TRUNCATE');
  });

  it('a non-superuser application role may read and append but not update (PostgreSQL server)', async (context) => {
    if (t.database.kind !== 'postgres') context.skip();
    const role = `audit_probe_${randomBytes(4).toString('hex')}`;
    const db = t.database.db;
    await db.execute(sql.raw(`create role ${role} nologin`));
    try {
      await db.execute(sql.raw(`grant usage on schema kernel to ${role}`));
      await db.execute(sql.raw(`grant select, insert on kernel.audit_log to ${role}`));
      await db.execute(sql.raw(`grant usage on sequence kernel.audit_log_id_seq to ${role}`));
      const asRole = <T>(fn: (tx: Db) => Promise<T>) =>
        t.database.transaction(async (tx) => {
          await tx.execute(sql.raw(`set local role ${role}`));
          return fn(tx);
        });
      // Appending through record() works for the role...
      await asRole((tx) => record(tx, ctx, { action: 'probe.as-role' }));
      expect((await allEntries()).at(-1)!.action).toBe('probe.as-role');
      // ...changing history is refused by privileges, before the trigger is even reached.
      expect(
        await failure(asRole((tx) => tx.execute(sql`update kernel.audit_log set action = 'forged'`))),
      ).toMatch(/permission denied for table audit_log/);
      expect(await failure(asRole((tx) => tx.execute(sql`delete from kernel.audit_log`)))).toMatch(
        /permission denied for table audit_log/,
      );
      // Even with triggers switched off, the role cannot: only a superuser may set session_replication_role.
      expect(
        await failure(asRole((tx) => tx.execute(sql`set local session_replication_role = replica`))),
      ).toMatch(/permission denied/);
      expect(await verifyChain(db)).toMatchObject({ ok: true });
    } finally {
      await db.execute(sql.raw(`drop owned by ${role}`));
      await db.execute(sql.raw(`drop role ${role}`));
    }
  });
});

describe('verifyChain detects tampering done around the trigger', () => {
  it('a changed entry breaks the chain at that entry', async () => {
    await t.database.transaction((tx) =>
      record(
        tx,
        ctx,
        ...['one', 'two', 'three', 'four'].map((n) => ({
          action: 'probe.tamper',
          targetId: n,
          details: { amount: 100 },
        })),
      ),
    );
    expect(await verifyChain(t.database.db)).toMatchObject({ ok: true });
    const victims = (await allEntries()).filter((e) => e.action === 'probe.tamper');
    const [, second, third] = victims;

    await bypassingTriggers(
      sql`update kernel.audit_log set details = '{"amount": 1}'::jsonb where id = ${second!.id}`,
    );
    const changed = await verifyChain(t.database.db);
    expect(changed).toMatchObject({ ok: false, brokenAt: second!.id });
    expect(changed.ok === false && changed.reason).toMatch(/content does not match its hash/);

    // Putting the original content back mends it: the hash covers content, not storage details.
    await bypassingTriggers(
      sql`update kernel.audit_log set details = '{"amount": 100}'::jsonb where id = ${second!.id}`,
    );
    expect(await verifyChain(t.database.db)).toMatchObject({ ok: true });

    // Rewriting the entry AND its hash is caught by the next entry's link.
    const forged = { ...second!, details: { amount: 1 } };
    await bypassingTriggers(
      sql`update kernel.audit_log set details = '{"amount": 1}'::jsonb, hash = ${entryHash(forged)} where id = ${second!.id}`,
    );
    const relinked = await verifyChain(t.database.db);
    expect(relinked).toMatchObject({ ok: false, brokenAt: third!.id });
    expect(relinked.ok === false && relinked.reason).toMatch(/previous-hash link does not match/);
    await bypassingTriggers(
      sql`update kernel.audit_log set details = '{"amount": 100}'::jsonb, hash = ${second!.hash} where id = ${second!.id}`,
    );
    expect(await verifyChain(t.database.db)).toMatchObject({ ok: true });
  });

  it('removing the newest entries leaves a valid shorter chain, caught only against a recorded anchor', async () => {
    await t.database.transaction((tx) =>
      record(tx, ctx, { action: 'probe.tail', targetId: 'a' }, { action: 'probe.tail', targetId: 'b' }),
    );
    const anchor = (await chainHead(t.database.db))!;
    expect(await verifyChain(t.database.db, { anchor })).toMatchObject({ ok: true, head: anchor });
    await bypassingTriggers(sql`delete from kernel.audit_log where id = ${anchor.id}`);
    const plain = await verifyChain(t.database.db);
    expect(plain).toMatchObject({ ok: true });
    expect(plain.ok && plain.head?.id).toBeLessThan(anchor.id);
    const anchored = await verifyChain(t.database.db, { anchor });
    expect(anchored).toMatchObject({ ok: false, brokenAt: anchor.id });
    expect(anchored.ok === false && anchored.reason).toMatch(/anchor entry is gone/);
    // An anchor whose hash differs from the stored entry means history was rewritten.
    const previous = plain.ok ? plain.head! : anchor;
    expect(
      await verifyChain(t.database.db, { anchor: { id: previous.id, hash: 'f'.repeat(64) } }),
    ).toMatchObject({ ok: false, brokenAt: previous.id });
  });

  it('a deleted entry breaks the chain at the entry after it', async () => {
    const victims = (await allEntries()).filter((e) => e.action === 'probe.tamper');
    const [, second, third] = victims;
    await bypassingTriggers(sql`delete from kernel.audit_log where id = ${second!.id}`);
    const result = await verifyChain(t.database.db);
    expect(result).toMatchObject({ ok: false, brokenAt: third!.id });
    expect(result.ok === false && result.reason).toMatch(/an entry was removed or changed/);
    // The trigger is back in force once the transaction ended.
    expect(
      await failure(t.database.db.execute(sql`delete from kernel.audit_log where id = ${third!.id}`)),
    ).toMatch(/append-only/);
  });
});
