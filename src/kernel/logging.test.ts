import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp, type App } from '../app.js';
import { loadConfig } from './config/index.js';
import { createLogger, loggableUrl } from './index.js';

let lines: string[] = [];
let app: App;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const config = loadConfig({}, { environment: 'test', logLevel: 'info', pgliteDir: 'memory://', secret: 'x'.repeat(40), dataDir: '/tmp/trillium-logging-test' });
  app = await buildApp({ config, logger: createLogger(config, sink), runJobs: false });
  await app.ready();
});
afterAll(async () => app?.close());

it('never writes one-time link secrets, cookies or bearer tokens to the log', async () => {
  lines = [];
  await app.inject({ method: 'GET', url: '/en/verify-email?token=SECRET-LINK-VALUE&x=1', headers: { cookie: 'trillium-session=SECRET-COOKIE' } });
  await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer trl_SECRET-TOKEN' } });
  const log = lines.join('');
  expect(log).toContain('/en/verify-email?token=[hidden]&x=1');
  expect(log).not.toContain('SECRET-LINK-VALUE');
  expect(log).not.toContain('SECRET-COOKIE');
  expect(log).not.toContain('SECRET-TOKEN');
});

it('hides every secret-carrying parameter', () => {
  expect(loggableUrl('/a?password=x&token=y&code=z&q=keep')).toBe('/a?password=[hidden]&token=[hidden]&code=[hidden]&q=keep');
});
