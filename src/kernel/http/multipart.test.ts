import type { FastifyReply, FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../app.js';
import { enabledModules } from '../../modules.js';
import { makeAccount } from '../../modules/identity/test/factories.js';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { TestClient } from '../../../test/support/client.js';
import { issueToken } from '../auth/tokens.js';
import { defineModule } from '../module.js';
import { readMultipartForm } from './multipart.js';

/** A probe module with one upload route, built on the same database as the test app. */
const probe = defineModule({
  id: 'probe',
  directory: new URL('.', import.meta.url).pathname,
  create: () => ({}),
  routes(app, _api, kernel) {
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const form = await readMultipartForm(request, reply, { fileField: 'file', store: kernel.files, maxBytes: 64, allowedTypes: ['text/csv'] });
      return { fields: form.fields, file: form.file ? { size: form.file.size, contentType: form.file.contentType, name: form.file.fileName } : null };
    };
    app.post('/en/probe-upload', { config: { multipartForm: true } }, handler);
    app.post('/api/v1/probe-upload', { config: { api: true, multipartForm: true } }, handler);
  },
});

let t: TestApp;
let app: App;
beforeAll(async () => {
  t = await createTestApp();
  app = await buildApp({ config: t.config, database: t.database, modules: [...enabledModules, probe], migrate: false, runJobs: false });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

function multipart(parts: Array<{ name: string; value: string; filename?: string; type?: string }>) {
  const boundary = 'trilliumboundary';
  const body = parts
    .map((p) =>
      p.filename !== undefined
        ? `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type ?? 'text/csv'}\r\n\r\n${p.value}\r\n`
        : `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`,
    )
    .join('');
  return { payload: `${body}--${boundary}--\r\n`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('readMultipartForm', () => {
  it('checks the CSRF token, sent first, before storing the file', async () => {
    const person = await makeAccount(t.app);
    const client = new TestClient(app);
    await client.signIn(person.email, person.password);
    const token = await client.csrfToken('/en/account');
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const upload = (parts: Parameters<typeof multipart>[0]) => {
      const m = multipart(parts);
      return app.inject({ method: 'POST', url: '/en/probe-upload', payload: m.payload, headers: { ...m.headers, cookie } });
    };
    const ok = await upload([{ name: '_csrf', value: token }, { name: 'title', value: 'Roads' }, { name: 'file', value: 'a,b\n1,2\n', filename: 'roads.csv' }]);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ fields: { title: 'Roads' }, file: { size: 8, contentType: 'text/csv', name: 'roads.csv' } });
    const late = await upload([{ name: 'file', value: 'a,b\n', filename: 'x.csv' }, { name: '_csrf', value: token }]);
    expect(late.statusCode).toBe(403);
    const forged = await upload([{ name: '_csrf', value: 'forged' }, { name: 'file', value: 'a,b\n', filename: 'x.csv' }]);
    expect(forged.statusCode).toBe(403);
    const big = await upload([{ name: '_csrf', value: token }, { name: 'file', value: 'x,'.repeat(100), filename: 'big.csv' }]);
    expect(big.statusCode).toBe(422);
  });

  it('needs no CSRF token with an API token, and accepts multipart on the API', async () => {
    const person = await makeAccount(t.app);
    const { secret } = await issueToken(t.database.db, { accountId: person.id, name: 't', scopes: ['identity:read'], expiresAt: new Date(Date.now() + 60_000) });
    const m = multipart([{ name: 'file', value: 'a\n1\n', filename: 'a.csv' }]);
    const response = await app.inject({ method: 'POST', url: '/api/v1/probe-upload', payload: m.payload, headers: { ...m.headers, authorization: `Bearer ${secret}` } });
    expect(response.statusCode).toBe(200);
    expect(response.json().file.size).toBe(4);
  });
});
