import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { issueToken } from '../../../kernel/auth/tokens.js';
import { makeAccount, makeOrganization } from '../../identity/test/factories.js';
import { maxBatchEvents } from '../inputs/event.input.js';
import type { Service } from '../types.js';
import { makeService, transaction } from './factories.js';

let t: TestApp;
let service: Service;
let sender = '';
let readOnly = '';

beforeAll(async () => {
  t = await createTestApp();
  const org = await makeOrganization(t.app);
  service = await makeService(t.app, org.id);
  const editor = await makeAccount(t.app, { roles: [[org.id, ['editor']]] });
  const issue = async (scopes: string[]) => (await issueToken(t.database.db, { accountId: editor.id, name: 'events', scopes, expiresAt: new Date(Date.now() + 86_400_000) })).secret;
  sender = await issue(['services:events']);
  readOnly = await issue(['services:read']);
});
afterAll(async () => t.close());

const post = (url: string, body: unknown, token?: string) =>
  t.app.inject({ method: 'POST', url, payload: body as object, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });

describe('events API', () => {
  it('stores a full batch once, and acknowledges a resent batch without counting it again', async () => {
    const start = Date.parse('2026-10-01T12:00:00Z');
    const events = Array.from({ length: maxBatchEvents / 2 }, (_, i) => transaction(service.code, `batch-${i}`, new Date(start + i * 60_000).toISOString(), i % 3 ? 'online' : 'phone', i % 10 ? 'approved' : 'ineligible')).flat();
    const first = await post('/api/v1/service-events/batch', { events }, sender);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: maxBatchEvents, stored: maxBatchEvents, duplicates: 0 });
    const again = await post('/api/v1/service-events/batch', { events }, sender);
    expect(again.json()).toEqual({ received: maxBatchEvents, stored: 0, duplicates: maxBatchEvents });
    const kpis = await t.app.inject({ url: `/api/v1/services/${service.code}/kpis?period=2026-10` });
    expect(kpis.json().figures).toMatchObject({ started: maxBatchEvents / 2, completed: maxBatchEvents / 2 });
    expect(kpis.json().kpis.completionRate).toBe(1);
  });

  it('answers 422 with one problem per bad item, naming its index, and stores nothing', async () => {
    const good = transaction(service.code, 'mixed-1', '2026-10-05T12:00:00Z', 'online', 'approved');
    const response = await post('/api/v1/service-events/batch', { events: [...good, { ...good[0], id: 'mixed-2', channel: 'pigeon' }, { ...good[1], id: 'mixed-3', outcome: undefined }] }, sender);
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().errors).toEqual([
      { index: 2, field: 'channel', rule: 'invalid', message: 'The channel must be online, in_person, phone, mail, email, fax, kiosk or other' },
      { index: 3, field: 'outcome', rule: 'required', message: 'Give the outcome of a completed event: approved, denied, ineligible or other' },
    ]);
    const french = await t.app.inject({ method: 'POST', url: '/api/v1/service-events', payload: { ...good[0], id: 'fr-1', service: 'NOPE' }, headers: { authorization: `Bearer ${sender}`, 'accept-language': 'fr' } });
    expect(french.json().errors).toEqual([{ index: 0, field: 'service', rule: 'unknown', message: 'Aucun service n’a le code NOPE' }]);
    const kpis = await t.app.inject({ url: `/api/v1/services/${service.code}/kpis?period=2026-10` });
    expect(kpis.json().figures.started).toBe(maxBatchEvents / 2);
  });

  it('needs a token with the events scope from the service’s organization', async () => {
    const [event] = transaction(service.code, 'auth-1', '2026-10-05T12:00:00Z', 'online', 'approved');
    expect((await post('/api/v1/service-events', event)).statusCode).toBe(401);
    expect((await post('/api/v1/service-events', event, readOnly)).statusCode).toBe(403);
    expect((await post('/api/v1/service-events', event, sender)).json()).toEqual({ received: 1, stored: 1, duplicates: 0 });
    const tooMany = await post('/api/v1/service-events/batch', { events: Array.from({ length: maxBatchEvents + 1 }, () => event) }, sender);
    expect(tooMany.statusCode).toBe(422);
  });
});
