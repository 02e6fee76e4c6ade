import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/kernel/auth/sessions.js';
import { cataloguePart } from '../../src/modules/catalogue/test/authorization.js';
import { ckanPart } from '../../src/modules/catalogue/test/authorization-ckan.js';
import { datastorePart } from '../../src/modules/catalogue/test/authorization-datastore.js';
import { catalogueHarvestPart } from '../../src/modules/catalogue/test/authorization-harvest.js';
import { catalogueRequestsPart } from '../../src/modules/catalogue/test/authorization-requests.js';
import { identityPart } from '../../src/modules/identity/test/authorization.js';
import { servicesApiPart, servicesPublicPart, servicesStaffPart } from '../../src/modules/services/test/authorization.js';
import { makeAccount, makeOrganization } from '../../src/modules/identity/test/factories.js';
import { createTestApp } from '../support/app.js';
import { actors, type Case, type MatrixPart, type Value, type World } from '../support/authorization.js';
import { kernelPart } from './authorization-kernel.js';

/**
 * The authorization matrix: every route × every kind of actor → the expected status.
 * A route added without an entry here fails the first test, so nothing ships unreviewed.
 *
 * Bodies are empty for pages (so allowed actors get 422 and nothing changes) and valid for APIs
 * (so authorization, not validation, decides). Targets that an allowed actor would change
 * (a member to remove, a token to revoke) are made fresh for each request.
 */

/** Every part of the matrix: the kernel's, then one per module (in src/modules.ts order). */
const parts: MatrixPart[] = [kernelPart, identityPart, cataloguePart, ckanPart, datastorePart, catalogueHarvestPart, catalogueRequestsPart, servicesApiPart, servicesStaffPart, servicesPublicPart];
const matrix: Record<string, Case> = {};
for (const part of parts) {
  for (const [key, entry] of Object.entries(part.entries)) {
    if (key in matrix) throw new Error(`"${key}" is in the matrix twice (${part.name})`);
    matrix[key] = entry;
  }
}

let w: World;
let csrf: { cookie: string; token: string };

beforeAll(async () => {
  const t = await createTestApp();
  const orgA = await makeOrganization(t.app, 'org-a');
  const orgB = await makeOrganization(t.app, 'org-b');
  const people = {
    resident: await makeAccount(t.app),
    viewer: await makeAccount(t.app, { roles: [[orgA.id, ['viewer']]] }),
    editor: await makeAccount(t.app, { roles: [[orgA.id, ['editor']]] }),
    otherAdmin: await makeAccount(t.app, { roles: [[orgB.id, ['admin']]] }),
    orgAdmin: await makeAccount(t.app, { roles: [[orgA.id, ['admin']]] }),
    superadmin: await makeAccount(t.app, { superadmin: true }),
  };
  const member = await makeAccount(t.app, { roles: [[orgA.id, ['viewer']]] });
  w = { t, orgA, orgB, people, member };
  for (const part of parts) await part.setup?.(w);
  const page = await t.app.inject({ method: 'GET', url: '/en/sign-in' });
  csrf = {
    cookie: page.cookies.filter((c) => c.name === 'trillium-csrf').map((c) => `${c.name}=${c.value}`).join(''),
    token: page.body.match(/name="_csrf" value="([^"]+)"/)![1]!,
  };
});
afterAll(async () => w?.t.close());

function routeKey(method: string, url: string): string {
  return url.startsWith('/assets/') ? `${method} /assets/*` : `${method} ${url}`;
}

describe('authorization matrix', () => {
  it('has an entry for every route, and no entry for a route that no longer exists', () => {
    const keys = new Set(w.t.app.routeList.map((r) => routeKey(r.method, r.url)));
    expect([...keys].filter((k) => !(k in matrix)), 'routes missing from the authorization matrix').toEqual([]);
    expect(Object.keys(matrix).filter((k) => !keys.has(k)), 'matrix entries for routes that do not exist').toEqual([]);
  });

  it('answers every route for every actor as expected', async () => {
    const failures: string[] = [];
    const seen = new Set<string>();
    for (const route of w.t.app.routeList) {
      const key = routeKey(route.method, route.url);
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = matrix[key]!;
      for (const actor of actors) {
        let url = route.url;
        const params: Record<string, Value> = { locale: 'en', ...entry.params };
        for (const [name, value] of Object.entries(params)) {
          const resolved = typeof value === 'function' ? await value(actor, w) : value;
          url = url.replace(`:${name}`, resolved);
        }
        if (entry.query) url += `?${entry.query}`;
        const cookies = [csrf.cookie];
        if (actor !== 'anonymous') cookies.push(`trillium-session=${(await createSession(w.t.database.db, w.people[actor].id, {})).token}`);
        const isApi = route.api;
        const headers: Record<string, string> = { cookie: cookies.join('; ') };
        let payload: string | undefined;
        if (route.method !== 'GET') {
          const body = entry.body?.(actor, w);
          if (route.multipart && (!isApi || body === undefined)) {
            // An upload form: the CSRF token first (API: a multipart body with no fields).
            const boundary = 'matrixboundary';
            headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
            payload = `${isApi ? '' : `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf.token}\r\n`}--${boundary}--\r\n`;
          } else if (isApi) {
            if (body !== undefined) {
              headers['content-type'] = 'application/json';
              payload = JSON.stringify(body);
            }
          } else {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            payload = new URLSearchParams({ _csrf: csrf.token }).toString();
          }
        }
        const response = await w.t.app.inject({ method: route.method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
        if (response.statusCode !== entry.expect[actor]) {
          failures.push(`${key} as ${actor}: expected ${entry.expect[actor]}, got ${response.statusCode} ${response.body.slice(0, 160).replace(/\s+/g, ' ')}`);
        }
        if (response.statusCode >= 500) failures.push(`${key} as ${actor}: server error`);
      }
    }
    expect(failures).toEqual([]);
  });
});
