import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp, rootDirectory, type App } from '../../app.js';
import { enabledModules } from '../../modules.js';
import { makeAccount } from '../../modules/identity/test/factories.js';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { TestClient } from '../../../test/support/client.js';
import { openDatabase, type Database } from '../db/index.js';
import { defineModule } from '../module.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const assets = JSON.parse(
  fs.readFileSync(path.join(rootDirectory, 'public', 'manifest.json'), 'utf8'),
) as Record<string, string>;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers });

function cspNonces(response: LightMyRequestResponse): { script: string; style: string } {
  const csp = String(response.headers['content-security-policy']);
  const directive = (name: string) =>
    csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith(`${name} `)) ?? '';
  const nonce = (d: string) => d.match(/'nonce-([^']+)'/)?.[1] ?? '';
  return { script: nonce(directive('script-src')), style: nonce(directive('style-src')) };
}

describe('language', () => {
  it('GET / redirects by Accept-Language, and says the answer varies with it', async () => {
    const fr = await get('/', { 'accept-language': 'fr-CA,fr;q=0.9' });
    expect(fr.statusCode).toBe(302);
    expect(fr.headers.location).toBe('/fr/');
    expect(String(fr.headers.vary)).toMatch(/accept-language/i);
    expect((await get('/', { 'accept-language': 'en-CA,en;q=0.9,fr;q=0.8' })).headers.location).toBe('/en/');
    expect((await get('/')).headers.location).toBe('/en/');
  });

  it('every page links to the same page in the other language, query kept', async () => {
    const pages: Array<[url: string, lang: string, other: string]> = [
      ['/en', 'en', '/fr'],
      ['/fr/', 'fr', '/en/'],
      ['/en/accessibility?x=1&y=d%C3%A9', 'en', '/fr/accessibility?x=1&amp;y=d%C3%A9'],
      ['/fr/privacy', 'fr', '/en/privacy'],
      ['/en/developers', 'en', '/fr/developers'],
      ['/fr/sign-in?return=%2Ffr%2Faccount', 'fr', '/en/sign-in?return=%2Ffr%2Faccount'],
      ['/en/organizations?q=road', 'en', '/fr/organizations?q=road'],
      ['/fr/nope?x=1', 'fr', '/en/nope?x=1'],
    ];
    for (const [url, lang, other] of pages) {
      const response = await get(url);
      expect(response.headers['content-type'], url).toMatch(/^text\/html/);
      expect(response.body, url).toContain(`<html lang="${lang}"`);
      const otherLang = lang === 'en' ? 'fr' : 'en';
      expect(response.body, url).toContain(`href="${other}" lang="${otherLang}" hreflang="${otherLang}"`);
      expect(response.body, url).toContain(`<link rel="alternate" hreflang="${otherLang}" href="${other}">`);
    }
  });

  it('an unknown page is a 404 in the path’s language', async () => {
    const fr = await get('/fr/nope');
    expect(fr.statusCode).toBe(404);
    expect(fr.headers['content-type']).toMatch(/^text\/html/);
    expect(fr.body).toContain('<html lang="fr"');
    expect(fr.body).toMatch(/<title>Page introuvable – /);
    const en = await get('/en/nope', { 'accept-language': 'fr' });
    expect(en.body).toContain('<html lang="en"');
    expect(en.body).toMatch(/<title>Page not found – /);
    // Outside a locale path, the browser's language decides.
    const bare = await get('/nope', { 'accept-language': 'fr-CA' });
    expect(bare.statusCode).toBe(404);
    expect(bare.body).toContain('<html lang="fr"');
    // A first segment that is not a language is not a page.
    expect((await get('/de/privacy')).statusCode).toBe(404);
  });
});

describe('API errors', () => {
  it('an unknown /api path answers problem+json with code not_found and the request id', async () => {
    const response = await get('/api/v1/nope?x=1', { 'accept-language': 'fr' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      type: 'about:blank',
      status: 404,
      code: 'not_found',
      instance: '/api/v1/nope',
      title: 'Page introuvable',
    });
    expect(body['requestId']).toBe(response.headers['x-request-id']);
  });
});

describe('request ids', () => {
  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    expect((await get('/healthz', { 'x-request-id': 'lb-1234.abc:5_6' })).headers['x-request-id']).toBe(
      'lb-1234.abc:5_6',
    );
    for (const bad of ['has spaces', '<script>', 'x'.repeat(65), 'a/b']) {
      const id = String((await get('/healthz', { 'x-request-id': bad })).headers['x-request-id']);
      expect(id, bad).toMatch(uuidPattern);
    }
    expect(String((await get('/healthz')).headers['x-request-id'])).toMatch(uuidPattern);
  });
});

describe('security headers', () => {
  it('CSP allows scripts and styles by nonce only, and the page’s inline script and style carry it', async () => {
    const first = await get('/en/sign-in');
    const csp = String(first.headers['content-security-policy']);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    const nonces = cspNonces(first);
    expect(nonces.script).toMatch(/^[\w+/=-]{16,}$/);
    expect(nonces.style).toMatch(/^[\w+/=-]{16,}$/);

    const inlineScripts = [...first.body.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]!);
    expect(inlineScripts.length).toBeGreaterThan(0);
    for (const attributes of inlineScripts) expect(attributes).toContain(`nonce="${nonces.script}"`);
    const styles = [...first.body.matchAll(/<style([^>]*)>/g)].map((m) => m[1]!);
    expect(styles.length).toBeGreaterThan(0);
    for (const attributes of styles) expect(attributes).toContain(`nonce="${nonces.style}"`);
    expect(first.body).not.toMatch(/\sstyle="/); // no inline style attributes either (CSP would block them)

    // A fresh nonce for every response.
    expect(cspNonces(await get('/en/sign-in')).script).not.toBe(nonces.script);
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    expect(first.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    // No HSTS on a localhost public URL (it would break plain-HTTP local use).
    expect(first.headers['strict-transport-security']).toBeUndefined();
  });

  it('static assets are cached for a year as immutable', async () => {
    const css = await get(`/assets/${assets['app.css']}`);
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(String(css.headers['cache-control'])).toMatch(/max-age=31536000/);
    expect(String(css.headers['cache-control'])).toMatch(/immutable/);
    const js = await get(`/assets/${assets['app.js']}`);
    expect(String(js.headers['cache-control'])).toMatch(/immutable/);
    expect((await get('/assets/no-such-file.js')).statusCode).toBe(404);
    expect((await get('/assets/../package.json')).statusCode).not.toBe(200);
  });
});

describe('CSRF', () => {
  it('a JSON API authenticated by the session cookie refuses what a cross-site form can send; JSON is accepted', async () => {
    const account = await makeAccount(t.app);
    const client = new TestClient(t.app);
    await client.signIn(account.email, account.password);
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const forms: Array<[contentType: string, payload: string]> = [
      ['application/x-www-form-urlencoded', 'name=forged&scopes=identity%3Aread&days=30'],
      ['text/plain', '{"name":"forged","scopes":["identity:read"],"days":30}'],
      [
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nforged\r\n--x--\r\n',
      ],
    ];
    for (const [contentType, payload] of forms) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/me/tokens',
        payload,
        headers: { cookie, 'content-type': contentType },
      });
      // Refused as not allowed (403) or as an unsupported media type (415): never processed.
      expect([403, 415], contentType).toContain(response.statusCode);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json<{ detail: string }>().detail).toContain('application/json');
    }
    expect((await client.api('GET', '/api/v1/me/tokens')).json()).toEqual({ items: [] });

    const json = await client.api('POST', '/api/v1/me/tokens', {
      name: 'real',
      scopes: ['identity:read'],
      days: 30,
    });
    expect(json.statusCode).toBe(201);
    expect((await client.api('GET', '/api/v1/me/tokens')).json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it('a page form without the CSRF token is refused', async () => {
    const account = await makeAccount(t.app);
    const client = new TestClient(t.app);
    await client.signIn(account.email, account.password);
    const response = await client.post('/en/sign-out', {}, { csrf: null });
    expect(response.statusCode).toBe(403);
    expect((await client.get('/en/account')).statusCode).toBe(200); // still signed in
  });
});

describe('operations endpoints', () => {
  it('/healthz and /readyz answer 200 while the database is up', async () => {
    const health = await get('/healthz');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await get('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', database: t.database.kind });
    expect(ready.headers['cache-control']).toBe('no-store');
  });

  it('/metrics is Prometheus text with request durations by route', async () => {
    await get('/en/privacy');
    const metrics = await get('/metrics');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.body).toContain('# TYPE trillium_http_request_duration_seconds histogram');
    expect(metrics.body).toMatch(
      /trillium_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/:locale\/privacy",status="200"\} \d+/,
    );
    expect(metrics.body).toMatch(/trillium_database_up 1/);
    expect(metrics.body).toMatch(/trillium_jobs\{status="queued"\} \d+/);
    expect(metrics.body).toContain('process_cpu_user_seconds_total');
  });
});

describe('a public HTTPS address', () => {
  let s: TestApp;
  beforeAll(async () => {
    s = await createTestApp({
      config: { publicUrl: 'https://trillium.example', metricsToken: 'metrics-secret' },
    });
  });
  afterAll(async () => s?.close());

  it('signs in with a __Host- session cookie that is Secure, HttpOnly, SameSite=Lax, Path=/', async () => {
    const account = await makeAccount(s.app);
    const client = new TestClient(s.app);
    const signIn = await client.signIn(account.email, account.password);
    const session = signIn.cookies.find((c) => c.name === '__Host-trillium-session');
    expect(session).toBeDefined();
    expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(session!.domain).toBeUndefined(); // required by the __Host- prefix
    expect(signIn.cookies.find((c) => c.name === 'trillium-session')).toBeUndefined();
    expect([...client.cookies.keys()]).toContain('__Host-trillium-csrf');
    // The prefixed cookie is the one read back.
    const account_ = await client.get('/en/account');
    expect(account_.statusCode).toBe(200);
    expect(account_.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('protects /metrics with its token when one is configured', async () => {
    const none = await s.app.inject({ method: 'GET', url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.body).not.toContain('trillium_http_request_duration_seconds');
    expect(
      (await s.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong' } }))
        .statusCode,
    ).toBe(401);
    const ok = await s.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer metrics-secret' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('trillium_http_request_duration_seconds');
  });
});

/**
 * A database that can be made unreachable: on PGlite, closing it; on a PostgreSQL server, a TCP
 * proxy in front of it that stops accepting and cuts its connections (what a server outage looks
 * like). `cut()` returns once the pool has noticed every idle connection drop: a client taken from
 * the pool while its connection is being cut crashes the process (see src/kernel/db/db.test.ts).
 */
async function outageDatabase(template: TestApp): Promise<{ database: Database; cut(): Promise<void> }> {
  if (template.database.kind === 'pglite') {
    const database = await openDatabase({
      databaseUrl: undefined,
      databasePoolSize: 1,
      pgliteDir: 'memory://',
    });
    return { database, cut: () => database.close() };
  }
  const target = new URL(template.config.databaseUrl!);
  const clients = new Set<net.Socket>();
  const upstreams = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const [socket, set] of [
      [client, clients],
      [upstream, upstreams],
    ] as const) {
      set.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => set.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxied = new URL(target);
  proxied.host = `127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
  let lost = 0;
  const sink = new Writable({
    write(chunk, _encoding, done) {
      if (String(chunk).includes('database connection lost')) lost++;
      done();
    },
  });
  const database = await openDatabase(
    { databaseUrl: proxied.toString(), databasePoolSize: 2, pgliteDir: 'memory://' },
    pino({ level: 'warn' }, sink),
  );
  return {
    database,
    async cut() {
      const idle = clients.size; // nothing is in flight: every pool client is idle
      const closed = new Promise<void>((resolve) => proxy.close(() => resolve()));
      for (const socket of [...clients, ...upstreams]) socket.destroy();
      await closed;
      await vi.waitFor(() => expect(lost).toBeGreaterThanOrEqual(idle), { timeout: 10_000 });
    },
  };
}

describe('when the database is unreachable', () => {
  let app: App;
  let outage: Awaited<ReturnType<typeof outageDatabase>>;
  let cookie: string;
  beforeAll(async () => {
    outage = await outageDatabase(t);
    app = await buildApp({ config: t.config, database: outage.database, runJobs: false });
    await app.ready();
    const account = await makeAccount(app);
    const client = new TestClient(app);
    await client.signIn(account.email, account.password);
    cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    await outage.cut();
  });
  afterAll(async () => {
    await app?.close();
    if (outage?.database.kind === 'postgres') await outage.database.close();
  });

  it('/readyz answers 503 and the process keeps serving', async () => {
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'unavailable' });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/trillium_database_up 0/);
  });

  it('a page that needs the database answers a 503 “service is unavailable” page in the page’s language', async () => {
    const en = await app.inject({ method: 'GET', url: '/en/organizations' });
    expect(en.statusCode).toBe(503);
    expect(en.headers['content-type']).toMatch(/^text\/html/);
    expect(en.body).toContain('<html lang="en"');
    expect(en.body).toContain('Sorry, the service is unavailable');
    const fr = await app.inject({ method: 'GET', url: '/fr/account', headers: { cookie } });
    expect(fr.statusCode).toBe(503);
    expect(fr.body).toContain('<html lang="fr"');
    expect(fr.body).toContain('Désolés, le service n’est pas disponible');
    // Pages that need no database still work.
    expect((await app.inject({ method: 'GET', url: '/fr/privacy' })).statusCode).toBe(200);
  });

  it('an API call answers 503 problem+json', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/organizations' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 503, code: 'unavailable' });
  });
});

describe('an unexpected error', () => {
  let app: App;
  let probeDir: string;
  beforeAll(async () => {
    probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trillium-probe-module-'));
    fs.mkdirSync(path.join(probeDir, 'locales'));
    fs.writeFileSync(path.join(probeDir, 'locales', 'en.json'), '{}');
    fs.writeFileSync(path.join(probeDir, 'locales', 'fr.json'), '{}');
    const boom = () => {
      throw new Error('SECRET-INTERNAL-DETAIL select * from kernel.sessions');
    };
    const probe = defineModule({
      id: 'probe',
      directory: probeDir,
      create: () => ({}),
      routes(scope) {
        scope.get('/:locale/probe/boom', async () => boom());
        scope.get('/api/v1/probe/boom', { config: { api: true } }, async () => boom());
      },
    });
    app = await buildApp({
      config: t.config,
      database: t.database,
      modules: [...enabledModules, probe],
      runJobs: false,
      migrate: false,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    fs.rmSync(probeDir, { recursive: true, force: true });
  });

  it('a page answers 500 in the page’s language with a reference, never the error or a stack trace', async () => {
    const response = await app.inject({ method: 'GET', url: '/fr/probe/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('<html lang="fr"');
    expect(response.body).toContain('Désolés, le service a un problème');
    expect(response.body).toContain(String(response.headers['x-request-id']));
    expect(response.body).not.toContain('SECRET-INTERNAL-DETAIL');
    expect(response.body).not.toContain('kernel.sessions');
    expect(response.body).not.toMatch(/\bat .+\.(ts|js):\d+/);
  });

  it('an API answers 500 problem+json without internals', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/probe/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      status: 500,
      code: 'internal',
      requestId: response.headers['x-request-id'],
    });
    expect(response.body).not.toContain('SECRET-INTERNAL-DETAIL');
    expect(Object.keys(body)).not.toContain('stack');
  });
});
