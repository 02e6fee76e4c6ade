import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, lastEmail, type TestApp } from '../../../../test/support/app.js';
import { Conflict, NotFound, RateLimited } from '../../../kernel/errors/index.js';
import { makeAccount, makeOrganization } from '../../identity/test/factories.js';
import { sendWeeklyDigest } from '../actions/digest.js';
import { receiveEvents } from '../actions/events.js';
import { feedbackInbox, giveFeedback, givePageFeedback, parseTags, triageFeedback } from '../actions/feedback.js';
import { inventoryDatasetName, kpiDatasetName, publishServicesOpenData } from '../actions/publishing.js';
import { listPageFeedback } from '../data/feedback.js';
import type { Service } from '../types.js';
import { makeService, servicesDeps, sys, transaction } from './factories.js';

let t: TestApp;
let service: Service;
let editorEmail = '';
const now = new Date();

beforeAll(async () => {
  t = await createTestApp();
  const org = await makeOrganization(t.app);
  editorEmail = (await makeAccount(t.app, { roles: [[org.id, ['editor']]], locale: 'fr' })).email;
  service = await makeService(t.app, org.id);
  const events = Array.from({ length: 8 }, (_, i) => transaction(service.code, `ref-${i}`, new Date(now.getTime() - 3_600_000).toISOString(), 'online', 'approved')).flat();
  await receiveEvents(servicesDeps(t.app), sys, { events }, now);
});
afterAll(async () => t.close());

const deps = () => servicesDeps(t.app);

describe('feedback after a transaction', () => {
  it('removes personal information from comments, in English and in French, before storing them', async () => {
    const en = await giveFeedback(deps(), sys, service.code, { satisfaction: 2, achieved: 'no', ref: 'ref-0', comment: 'Charged twice. Call me at (416) 555-0199 or write to sam.taylor@example.com, K1A 0B1.' });
    expect(en.feedback.comment).toBe('Charged twice. Call me at ### or write to ###, ###.');
    const fr = await giveFeedback(deps(), { ...sys, locale: 'fr' }, service.code, { satisfaction: 4, ref: 'ref-1', comment: 'Mon NAS est 046 454 286 et ma carte 4111 1111 1111 1111; appelez le 514 555-0123 poste 22.' });
    expect(fr.feedback.comment).toBe('Mon NAS est ### et ma carte ###; appelez le ###.');
    expect(fr.feedback.locale).toBe('fr');
  });

  it('accepts one response per transaction reference and refuses unknown references', async () => {
    await giveFeedback(deps(), sys, service.code, { satisfaction: 5, ref: 'ref-2' });
    await expect(giveFeedback(deps(), sys, service.code, { satisfaction: 1, ref: 'ref-2' })).rejects.toBeInstanceOf(Conflict);
    await expect(giveFeedback(deps(), sys, service.code, { satisfaction: 1, ref: 'no-such-transaction' })).rejects.toBeInstanceOf(NotFound);
    await expect(giveFeedback(deps(), sys, 'NO-SUCH-SERVICE', { satisfaction: 1 })).rejects.toBeInstanceOf(NotFound);
    // Concurrent submissions for the same reference: one is stored.
    const results = await Promise.allSettled([3, 4, 5].map((satisfaction) => giveFeedback(deps(), sys, service.code, { satisfaction, ref: 'ref-3' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const inbox = await feedbackInbox(deps(), sys, service.code, {}, 100, 0);
    expect(inbox.items.filter((f) => f.reference === 'ref-3')).toHaveLength(1);
  });

  it('limits feedback per address', async () => {
    const ctx = { ...sys, client: { ip: '203.0.113.9' } };
    for (let i = 0; i < 30; i++) await giveFeedback(deps(), ctx, service.code, { satisfaction: 3 });
    await expect(giveFeedback(deps(), ctx, service.code, { satisfaction: 3 })).rejects.toBeInstanceOf(RateLimited);
  });

  it('lets the team tag, filter and action responses', async () => {
    const inbox = await feedbackInbox(deps(), sys, service.code, { withComment: true }, 10, 0);
    const item = inbox.items.find((f) => f.reference === 'ref-0')!;
    await triageFeedback(deps(), sys, service.code, item.id, { tags: 'Payment, payment; refunds', actioned: true });
    const tagged = await feedbackInbox(deps(), sys, service.code, { tag: 'payment', status: 'actioned' }, 10, 0);
    expect(tagged.items.map((f) => f.id)).toEqual([item.id]);
    expect(tagged.items[0]).toMatchObject({ tags: ['payment', 'refunds'], actioned: true });
    expect(tagged.tags).toEqual(expect.arrayContaining([{ tag: 'payment', uses: 1 }]));
    expect(parseTags(' a, b ;a,, ')).toEqual(['a', 'b']);
    // Sending only the status keeps the tags.
    const reopened = await triageFeedback(deps(), sys, service.code, item.id, { actioned: false });
    expect(reopened).toMatchObject({ tags: ['payment', 'refunds'], actioned: false });
    const low = await feedbackInbox(deps(), sys, service.code, { satisfaction: [1, 2] }, 10, 0);
    expect(low.items.every((f) => (f.satisfaction ?? 0) <= 2)).toBe(true);
  });

  it('emails each service team a weekly digest in its language', async () => {
    const result = await sendWeeklyDigest(deps(), sys, new Date(now.getTime() + 60_000));
    expect(result.emails).toBeGreaterThanOrEqual(1);
    const email = await lastEmail(t.database, editorEmail);
    expect(email?.subject).toContain('Rétroaction sur');
    expect(email?.body).toContain('###');
    expect(email?.body).toContain(`/fr/services/${service.code}/feedback`);
  });

  it('keeps "Did you find what you were looking for?" answers, scrubbed', async () => {
    await givePageFeedback(deps(), { ...sys, locale: 'fr' }, { found: 'no', path: '/fr/services', comment: 'Je cherchais mon dossier, courriel jean@exemple.ca' });
    const { rows } = await listPageFeedback(t.database.db, 10, 0);
    expect(rows[0]).toMatchObject({ path: '/fr/services', found: false, comment: 'Je cherchais mon dossier, courriel ###', locale: 'fr' });
  });

  it('publishes the inventory and the KPIs as open datasets through the catalogue', async () => {
    const result = await publishServicesOpenData(deps(), sys, now);
    expect(result.published).toBe(true);
    const inventory = await deps().catalogue.getDataset(inventoryDatasetName);
    const kpis = await deps().catalogue.getDataset(kpiDatasetName);
    expect(inventory?.state).toBe('published');
    expect(kpis?.state).toBe('published');
    expect(result.kpiLines).toBeGreaterThan(0);
  });
});
