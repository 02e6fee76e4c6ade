import fs from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeAccount,
  makeOrganization,
  type TestAccount,
} from '../../src/modules/identity/test/factories.js';
import { receiveEvents } from '../../src/modules/services/actions/events.js';
import { feedbackInbox } from '../../src/modules/services/actions/feedback.js';
import type { ServicesDeps } from '../../src/modules/services/actions/deps.js';
import { makeService, servicesDeps, sys, transaction } from '../../src/modules/services/test/factories.js';
import type { Service } from '../../src/modules/services/types.js';
import { axeViolationsOf } from './support/axe.js';
import { launchBrowser, newContext } from './support/browser.js';
import { driverFor, isFocused, navigation, tabTo } from './support/interact.js';
import { seedServices, servicesFigures, type ServicesFixture } from './support/services.js';
import { startServer, type BrowserServer } from './support/server.js';

/**
 * The services module end to end in a real browser: a resident gives feedback right after a
 * transaction without JavaScript, by keyboard alone, in English and in French; the organization's
 * editor signs in and triages the feedback inbox; anyone reads a service's KPI dashboard without
 * JavaScript, changes its period with the filter form and downloads its figures. Every page the
 * journeys reach is checked by axe (pages seen without JavaScript are checked as a copy in a page
 * with JavaScript on: axe is a script). Data comes from support/services.ts, so the figures are known.
 */

let server: BrowserServer;
let browser: Browser;
/** A context with JavaScript on, where axe checks the pages of every journey. */
let checker: BrowserContext;
let deps: ServicesDeps;
let fixture: ServicesFixture;
let editor: TestAccount;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  deps = servicesDeps(server.app);
  const organization = await makeOrganization(server.app, 'ministry-of-natural-resources');
  editor = await makeAccount(server.app, { name: 'Eddie Editor', roles: [[organization.id, ['editor']]] });
  fixture = await seedServices(server.app, organization.id);
  checker = await newContext(browser);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** axe finds nothing on the page as it is now. */
async function expectAccessible(page: Page): Promise<void> {
  const violations = await axeViolationsOf(page, checker);
  expect(violations, `axe on ${page.url()}:\n${violations.join('\n')}`).toEqual([]);
}

const heading = async (page: Page) => (await page.getByRole('heading', { level: 1 }).textContent())?.trim();
const pathOf = (page: Page) => new URL(page.url()).pathname;

const feedbackRuns = [
  {
    locale: 'en',
    title: (name: string) => `Give feedback: ${name}`,
    send: 'Send feedback',
    thanks: 'Thank you for your feedback',
    used: 'Feedback already given, thank you',
    back: 'Go back to the service',
    comment: 'The queue was long. Write to me at jane.doe@example.com if you need more.',
    stored: 'The queue was long. Write to me at ### if you need more.',
  },
  {
    locale: 'fr',
    title: (name: string) => `Donner votre avis : ${name}`,
    send: 'Envoyer mon avis',
    thanks: 'Merci de votre avis',
    used: 'Avis déjà donné, merci',
    back: 'Retourner au service',
    comment: 'Il a fallu attendre longtemps. Écrivez-moi à jean.tremblay@exemple.ca au besoin.',
    stored: 'Il a fallu attendre longtemps. Écrivez-moi à ### au besoin.',
  },
] as const;

describe.each(feedbackRuns)(
  'a resident gives feedback after a transaction, without JavaScript, by keyboard ($locale)',
  (run) => {
    const { locale } = run;
    const reference = `RENEWAL-${locale.toUpperCase()}-7731`;
    let service: Service;
    let page: Page;
    let name: string;

    beforeAll(async () => {
      // Its own service, so the feedback leaves the seeded service's figures as they are.
      service = await makeService(server.app, (await makeOrganization(server.app)).id);
      name = service.name[locale]!;
      await receiveEvents(deps, sys, {
        events: transaction(
          service.code,
          reference,
          new Date(Date.now() - 30 * 60_000).toISOString(),
          'online',
          'approved',
        ),
      });
      page = await (await newContext(browser, { javaScriptEnabled: false })).newPage();
    });
    afterAll(async () => page?.context().close());

    it.sequential('opens the link the service gave, with the transaction reference', async () => {
      const response = await page.goto(server.url(`/${locale}/feedback/${service.code}?ref=${reference}`));
      expect(response?.status()).toBe(200);
      // govuk-frontend did not run: the page really is used without JavaScript.
      expect(await page.locator('body').getAttribute('class')).toBe('govuk-template__body');
      await expect(heading(page)).resolves.toBe(run.title(name));
      expect(await page.locator('input[type=hidden][name=ref]').getAttribute('value')).toBe(reference);
      await expectAccessible(page);
    });

    it.sequential('answers with the keyboard alone and sends the form', async () => {
      const keyboard = driverFor(page, 'keyboard');
      // The first answer (very satisfied) takes the focus; the down arrow moves to and chooses the next (satisfied).
      await tabTo(page, page.locator('#satisfaction'));
      await page.keyboard.press('ArrowDown');
      expect(await isFocused(page.locator('#satisfaction-2'))).toBe(true);
      expect(await page.locator('input[name=satisfaction]:checked').getAttribute('value')).toBe('4');
      // "Were you able to do what you came to do?": space chooses "yes", the right arrow moves to "partly".
      await page.keyboard.press('Tab');
      expect(await isFocused(page.locator('#achieved'))).toBe(true);
      await page.keyboard.press('Space');
      await page.keyboard.press('ArrowRight');
      expect(await page.locator('input[name=achieved]:checked').getAttribute('value')).toBe('partly');
      await keyboard.fill(page.locator('#comment'), run.comment);

      const landed = await navigation(page, () =>
        keyboard.activate(page.getByRole('button', { name: run.send, exact: true })),
      );
      expect(landed.status()).toBe(200);
      expect(pathOf(page)).toBe(`/${locale}/feedback/${service.code}/thanks`);
      await expect(heading(page)).resolves.toBe(run.thanks);
      await expectAccessible(page);
    });

    it.sequential('is stored once, with the email address in the comment replaced by ###', async () => {
      const inbox = await feedbackInbox(deps, sys, service.code, {}, 50, 0);
      expect(inbox.items.filter((i) => i.reference === reference)).toEqual([
        expect.objectContaining({ satisfaction: 4, achieved: 'partly', comment: run.stored, locale }),
      ]);
    });

    it.sequential(
      'the same reference again: feedback already given, and the way back to the service',
      async () => {
        const response = await page.goto(server.url(`/${locale}/feedback/${service.code}?ref=${reference}`));
        expect(response?.status()).toBe(409);
        await expect(heading(page)).resolves.toBe(run.used);
        expect(await page.locator('html').getAttribute('lang')).toBe(locale);
        await expectAccessible(page);

        await navigation(page, () => page.getByRole('link', { name: run.back, exact: true }).click());
        expect(pathOf(page)).toBe(`/${locale}/services/${service.code}`);
        await expect(heading(page)).resolves.toBe(name);
        expect(
          (await feedbackInbox(deps, sys, service.code, {}, 50, 0)).items.filter(
            (i) => i.reference === reference,
          ),
        ).toHaveLength(1);
      },
    );
  },
);

describe('the organization’s editor triages the feedback inbox', () => {
  const comment = 'Je n’ai pas pu téléverser mes documents.';
  let page: Page;
  /** The response the editor works on: the one with this comment. */
  const response = () => page.locator('li.trl-card', { hasText: comment });
  const status = () => page.locator('main [role=status]').first().textContent();
  const banner = () => page.locator('.govuk-notification-banner').textContent();
  const filter = () =>
    navigation(page, () =>
      page.locator('main form[method=get]').getByRole('button', { name: 'Filter', exact: true }).click(),
    );

  beforeAll(async () => {
    page = await (await newContext(browser)).newPage();
  });
  afterAll(async () => page?.context().close());

  it.sequential('signs in on the way to the inbox, and lands on it', async () => {
    await page.goto(server.url(`/en/services/${fixture.code}/feedback`));
    expect(pathOf(page)).toBe('/en/sign-in');
    await page.locator('#email').fill(editor.email);
    await page.locator('#password').fill(editor.password);
    await navigation(page, () => page.getByRole('button', { name: 'Sign in', exact: true }).click());
    expect(pathOf(page)).toBe(`/en/services/${fixture.code}/feedback`);
    await expect(heading(page)).resolves.toBe('Feedback');
    await expect(status()).resolves.toBe('18 responses, newest first.');
    await expectAccessible(page);
  });

  it.sequential('filters by rating', async () => {
    await page.getByRole('checkbox', { name: 'Very dissatisfied', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Dissatisfied', exact: true }).check();
    await filter();
    const query = new URL(page.url()).searchParams;
    expect(query.getAll('satisfaction').sort()).toEqual(['1', '2']);
    await expect(status()).resolves.toBe('2 responses match your filters.');
    await expect(response().textContent()).resolves.toContain('Very dissatisfied');
    await expectAccessible(page);
  });

  it.sequential('tags a response, and comes back to the same filters', async () => {
    await response().getByRole('textbox', { name: /^Tags/ }).fill('Uploads, documents');
    await navigation(page, () =>
      response()
        .getByRole('button', { name: /^Save the tags/ })
        .click(),
    );
    const query = new URL(page.url()).searchParams;
    expect(query.getAll('satisfaction').sort()).toEqual(['1', '2']);
    expect(query.get('notice')).toBe('tagged');
    await expect(banner()).resolves.toContain('The tags are saved.');
    await expect(response().textContent()).resolves.toContain('documents, uploads');
    await expectAccessible(page);
  });

  it.sequential('marks it actioned', async () => {
    await navigation(page, () =>
      response()
        .getByRole('button', { name: /^Mark as actioned/ })
        .click(),
    );
    await expect(banner()).resolves.toContain('The response is marked as actioned.');
    await expect(response().textContent()).resolves.toMatch(/Actioned on /);
    expect(
      await response()
        .getByRole('button', { name: /^Open again/ })
        .count(),
    ).toBe(1);
    await expectAccessible(page);
  });

  it.sequential('finds it under the “actioned” filter', async () => {
    await page.getByRole('radio', { name: 'Actioned', exact: true }).check();
    await filter();
    expect(new URL(page.url()).searchParams.get('status')).toBe('actioned');
    // The seeded "payment" response (dissatisfied) was actioned already: two match.
    await expect(status()).resolves.toBe('2 responses match your filters.');
    await expect(response().textContent()).resolves.toContain('documents, uploads');
    await expectAccessible(page);

    const actioned = await feedbackInbox(
      deps,
      sys,
      fixture.code,
      { status: 'actioned', tag: 'uploads' },
      50,
      0,
    );
    expect(actioned.items).toEqual([
      expect.objectContaining({ comment, tags: ['documents', 'uploads'], actioned: true }),
    ]);
  });
});

const dashboardRuns = [
  {
    locale: 'en',
    title: 'Performance: Renew a fishing licence',
    completion: '8 completed ÷ 10 started',
    byChannel: 'Completed transactions by channel',
    rates: 'Completion rate, digital take-up and satisfaction by month',
    online: 'Online',
    show: 'Show figures',
    csv: 'Figures as CSV (spreadsheet)',
    noData: 'No data',
  },
  {
    locale: 'fr',
    title: 'Rendement : Renouveler un permis de pêche',
    completion: '8 terminées ÷ 10 commencées',
    byChannel: 'Transactions terminées par mode de prestation',
    rates: 'Taux d’achèvement, adoption du numérique et satisfaction par mois',
    online: 'En ligne',
    show: 'Afficher les chiffres',
    csv: 'Chiffres en CSV (tableur)',
    noData: 'Aucune donnée',
  },
] as const;

describe.each(dashboardRuns)('anyone reads a service’s dashboard, without JavaScript ($locale)', (run) => {
  const { locale } = run;
  const figures = servicesFigures[locale];
  let page: Page;
  const tile = (id: string) => page.locator(`#kpi-${id}`).textContent();

  beforeAll(async () => {
    page = await (await newContext(browser, { javaScriptEnabled: false })).newPage();
  });
  afterAll(async () => page?.context().close());

  it.sequential('shows the four KPI tiles with the seeded figures', async () => {
    const response = await page.goto(server.url(`/${locale}/services/${fixture.code}/performance`));
    expect(response?.status()).toBe(200);
    await expect(heading(page)).resolves.toBe(run.title);
    await expect(tile('cost')).resolves.toContain(figures.cost);
    await expect(tile('satisfaction')).resolves.toContain(figures.satisfied);
    await expect(tile('completion')).resolves.toContain(figures.completion);
    await expect(tile('completion')).resolves.toContain(run.completion);
    await expect(tile('take-up')).resolves.toContain(figures.takeUp);
    await expectAccessible(page);
  });

  it.sequential('gives each chart its figures as a table', async () => {
    // The chart is an image named by its title, and the same figures follow as a table with that caption.
    expect(await page.getByRole('img', { name: run.byChannel, exact: true }).count()).toBe(1);
    const table = page.getByRole('table', { name: run.byChannel, exact: true });
    const online = table
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: run.online, exact: true }) });
    await expect(online.getByRole('cell').textContent()).resolves.toBe('6');
    // The trends: one row per month of the last 12, under the heading row.
    expect(await page.getByRole('img', { name: run.rates, exact: true }).count()).toBe(1);
    expect(await page.getByRole('table', { name: run.rates, exact: true }).getByRole('row').count()).toBe(13);
  });

  it.sequential('downloads the figures as CSV with the link', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: run.csv, exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`service-kpis-${fixture.code}.csv`);
    const csv = await fs.readFile(await download.path(), 'utf8');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('scope,period,start,end,channel,kpi,value,numerator,denominator,source');
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^service:${fixture.code},12m,[\\d-]+,[\\d-]+,all,completion_rate,0\\.8,8,10,events$`),
      ),
    );
  });

  it.sequential('changes the period with the filter form', async () => {
    // The oldest month offered: before the seeded transactions, so no figures.
    const values = await Promise.all(
      (await page.locator('#period option').all()).map((option) => option.getAttribute('value')),
    );
    const month = values.filter((v) => /^\d{4}-\d{2}$/.test(v ?? '')).at(-1)!;
    await page.locator('#period').selectOption(month);
    const response = await navigation(page, () =>
      page.getByRole('button', { name: run.show, exact: true }).click(),
    );
    expect(response.status()).toBe(200);
    expect(new URL(page.url()).searchParams.get('period')).toBe(month);
    expect(await page.locator('#period').inputValue()).toBe(month);
    await expect(tile('completion')).resolves.toContain(run.noData);
    await expect(page.getByRole('link', { name: run.csv, exact: true }).getAttribute('href')).resolves.toBe(
      `/api/v1/services/${fixture.code}/kpis.csv?period=${month}`,
    );
    await expectAccessible(page);
  });
});
