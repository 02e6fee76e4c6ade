import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, wcagTags } from './support/axe.js';
import { launchBrowser, newContext } from './support/browser.js';
import { actorNames, seedFixture, signInContext, type ActorName, type Fixture } from './support/fixture.js';
import { pageVisits } from './support/pages.js';
import type { Visit } from './support/visits.js';
import { pageRoutes } from './support/routes.js';
import { startServer, type BrowserServer } from './support/server.js';

/**
 * The accessibility sweep: every page of the app, in English and in French, as the person who
 * would see it (anonymous, resident, organization admin, superadmin), as first shown and in its
 * error states, checked by axe against WCAG 2.1 A and AA with no violation allowed. The list of
 * pages comes from the app's router; the parameters and states from `support/pages.ts`.
 *
 * Pages are checked with JavaScript on: axe is itself a script and cannot run in a context with
 * JavaScript off. The server sends the same markup either way; journeys.test.ts covers using the
 * pages with JavaScript off.
 */

const locales = ['en', 'fr'] as const;
type Locale = (typeof locales)[number];
const errorPrefix: Record<Locale, string> = { en: 'Error:', fr: 'Erreur :' };

let server: BrowserServer;
let browser: Browser;
let fixture: Fixture;
let routes: string[];
/** A page per actor and language: the two languages are checked side by side (two cores, two renderers). */
const pages = new Map<`${ActorName}:${Locale}`, Page>();

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  fixture = await seedFixture(server);
  routes = pageRoutes(server.app);
  for (const actor of actorNames) {
    const context = await newContext(browser);
    if (actor !== 'anonymous') await signInContext(server, context, fixture.accounts[actor]);
    for (const locale of locales) pages.set(`${actor}:${locale}`, await context.newPage());
  }
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('has a planned visit for every page route of the app, and none for a route that is gone', () => {
  const missing = routes.filter((route) => !(route in pageVisits));
  const gone = Object.keys(pageVisits).filter((route) => !routes.includes(route));
  expect(
    missing,
    'Page routes with no row in test/browser/support/pages.ts (add one, so the page is checked)',
  ).toEqual([]);
  expect(gone, 'Rows in test/browser/support/pages.ts for routes the app no longer has').toEqual([]);
  for (const [route, visits] of Object.entries(pageVisits)) expect(visits.length, route).toBeGreaterThan(0);
});

/** Shows each planned state of a page in one language; returns what went wrong (axe findings, unexpected pages). */
async function check(locale: Locale, visits: Visit[]): Promise<string[]> {
  const problems: string[] = [];
  for (const visit of visits) {
    const page = pages.get(`${visit.as}:${locale}`)!;
    const path = `/${locale}${visit.path(fixture)}`;
    const label = `${path} as ${visit.as} (${visit.state})`;
    if (visit.file) {
      // A download, or a redirect to one: no page for axe. Its status, and that it is no page.
      const answer = await page.request.get(server.url(path), { maxRedirects: 0 });
      if (answer.status() !== (visit.status ?? 200))
        problems.push(`${label}: answered ${answer.status()}, expected ${visit.status ?? 200}`);
      if (answer.headers()['content-type']?.startsWith('text/html'))
        problems.push(`${label}: answered a page; plan it as a page, not a file`);
      continue;
    }
    let response = await page.goto(server.url(path));
    if (visit.act) {
      if (response?.status() !== 200) {
        problems.push(`${label}: the page before the action answered ${response?.status()}`);
        continue;
      }
      response = await visit.act(page, fixture);
    }
    const status = response?.status();
    if (status !== (visit.status ?? 200))
      problems.push(`${label}: answered ${status}, expected ${visit.status ?? 200}`);
    const lang = await page.locator('html').getAttribute('lang');
    if (lang !== locale) problems.push(`${label}: <html lang="${lang}">`);
    if (visit.errorSummary) {
      // Someone using a screen reader hears the title first: it must say the form has errors.
      if ((await page.locator('.govuk-error-summary').count()) !== 1)
        problems.push(`${label}: no error summary`);
      const title = await page.title();
      if (!title.startsWith(errorPrefix[locale]))
        problems.push(`${label}: title "${title}" does not start with "${errorPrefix[locale]}"`);
    }
    for (const violation of await axeViolations(page)) problems.push(`${label}\n  ${violation}`);
  }
  return problems;
}

describe('every page passes axe in English and French', () => {
  it.each(Object.entries(pageVisits))(`${wcagTags.join(', ')}: %s`, async (_route, visits) => {
    const problems = (await Promise.all(locales.map((locale) => check(locale, visits)))).flat();
    expect(problems, `Problems found:\n\n${problems.join('\n\n')}\n`).toEqual([]);
  });
});
