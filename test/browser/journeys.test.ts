import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastEmail, linkIn } from '../support/app.js';
import { makeAccount, makeOrganization } from '../../src/modules/identity/test/factories.js';
import { launchBrowser, newContext } from './support/browser.js';
import { sampleCsv } from './support/catalogue.js';
import { signInContext } from './support/fixture.js';
import { driverFor, isFocused, navigation, type Driver, type InputMode } from './support/interact.js';
import { startServer, type BrowserServer } from './support/server.js';

/**
 * A resident's first visit, end to end in a real browser: register, confirm the email address with
 * the emailed link, sign in, switch language with the header toggle, change password, sign out.
 * Every journey runs with JavaScript on and off (progressive enhancement: HTML forms and links
 * alone must do the whole job), and by mouse and by keyboard alone (Tab, typing and Enter; no
 * clicks), which shows every control on the way is in the tab order and works from the keyboard.
 * The four runs are independent (each its own person and browser context) and run side by side;
 * the steps of one run are in order.
 */

let server: BrowserServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const runs: Array<{ name: string; javaScript: boolean; input: InputMode }> = [
  { name: 'JavaScript on, mouse', javaScript: true, input: 'pointer' },
  { name: 'JavaScript on, keyboard only', javaScript: true, input: 'keyboard' },
  { name: 'JavaScript off, mouse', javaScript: false, input: 'pointer' },
  { name: 'JavaScript off, keyboard only', javaScript: false, input: 'keyboard' },
];

describe.concurrent.each(runs)('a resident’s first visit ($name)', ({ name, javaScript, input }) => {
  const slug = name.toLowerCase().replace(/[^a-z]+/g, '-');
  const email = `resident-${slug}@example.test`;
  const password = 'maple syrup on a snowy morning';
  const newPassword = 'a canoe trip across the lake';
  let context: BrowserContext;
  let page: Page;
  let driver: Driver;

  const heading = () => page.getByRole('heading', { level: 1 });
  const htmlLang = () => page.locator('html').getAttribute('lang');
  const button = (name: string) => page.getByRole('button', { name, exact: true });
  const link = (name: string) => page.getByRole('link', { name, exact: true });
  const submit = async (name: string) => navigation(page, () => driver.activate(button(name)));
  const follow = async (name: string) => navigation(page, () => driver.activate(link(name)));

  beforeAll(async () => {
    context = await newContext(browser, { javaScriptEnabled: javaScript });
    page = await context.newPage();
    driver = driverFor(page, input);
  });
  afterAll(async () => context?.close());

  it.sequential('registers with the form', async () => {
    const response = await page.goto(server.url('/en/register'));
    expect(response?.status()).toBe(200);
    // govuk-frontend marks the page as enhanced only when its script ran: proves the mode is real.
    expect(await page.locator('body').getAttribute('class')).toEqual(
      javaScript ? expect.stringContaining('govuk-frontend-supported') : 'govuk-template__body',
    );
    await expect(heading().textContent()).resolves.toBe('Create an account');

    await driver.fill(page.locator('#displayName'), `Resident ${slug}`);
    await driver.fill(page.locator('#email'), email);
    await driver.fill(page.locator('#password'), password);
    const landed = await submit('Create account');
    expect(landed.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/en/register/check-email');
    await expect(heading().textContent()).resolves.toBe('Check your email');
  });

  it.sequential('confirms the email address with the link from the outbox', async () => {
    const message = await lastEmail(server.database, email);
    expect(message?.kind).toBe('identity.emails.verify');
    const link = linkIn(message!.body);
    expect(link.startsWith(`${server.baseUrl}/en/verify-email?token=`)).toBe(true);

    await page.goto(link);
    await expect(heading().textContent()).resolves.toBe('Confirm your email address');
    await submit('Confirm my email address');
    expect(page.url()).toBe(server.url('/en/sign-in?notice=verified'));
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      'Your email address is confirmed',
    );
  });

  it.sequential('signs in', async () => {
    await driver.fill(page.locator('#email'), email);
    await driver.fill(page.locator('#password'), password);
    await submit('Sign in');
    expect(new URL(page.url()).pathname).toBe('/en/account');
    await expect(heading().textContent()).resolves.toBe('Your account');
    await expect(page.locator('main').textContent()).resolves.toContain(email);
  });

  it.sequential('switches language with the header toggle and lands on the same page', async () => {
    expect(await htmlLang()).toBe('en');
    const toggle = page.locator('header').getByRole('link', { name: 'Français', exact: true });
    expect(await toggle.getAttribute('lang')).toBe('fr');
    await navigation(page, () => driver.activate(toggle));
    expect(new URL(page.url()).pathname).toBe('/fr/account');
    expect(await htmlLang()).toBe('fr');
    await expect(heading().textContent()).resolves.toBe('Votre compte');
    // Still signed in: the header names the person.
    await expect(page.locator('header').textContent()).resolves.toContain(`Resident ${slug}`);
  });

  it.sequential('changes password (in French), keeping the session', async () => {
    await follow('Modifier Mot de passe');
    expect(new URL(page.url()).pathname).toBe('/fr/account/password');
    await expect(heading().textContent()).resolves.toBe('Changer votre mot de passe');

    // A wrong current password is refused with an error summary, in French.
    await driver.fill(page.locator('#currentPassword'), 'not my password at all');
    await driver.fill(page.locator('#password'), newPassword);
    await driver.fill(page.locator('#confirmPassword'), newPassword);
    const refused = await submit('Changer le mot de passe');
    expect(refused.status()).toBe(422);
    expect(await page.title()).toMatch(/^Erreur/);
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Votre mot de passe actuel n’est pas exact',
    );

    await driver.fill(page.locator('#currentPassword'), password);
    await driver.fill(page.locator('#password'), newPassword);
    await driver.fill(page.locator('#confirmPassword'), newPassword);
    await submit('Changer le mot de passe');
    expect(page.url()).toBe(server.url('/fr/account?notice=passwordChanged'));
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      'Votre mot de passe a été changé',
    );
    expect((await lastEmail(server.database, email))?.kind).toBe('identity.emails.passwordChanged');
  });

  it.sequential(
    'signs out with the header button, and the account is then closed to this browser',
    async () => {
      await submit('Se déconnecter');
      expect(page.url()).toBe(server.url('/fr/sign-in?notice=signedOut'));
      expect(await htmlLang()).toBe('fr');
      await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
        'Vous êtes déconnecté',
      );
      expect((await context.cookies()).some((c) => c.name === 'trillium-session')).toBe(false);

      await page.goto(server.url('/fr/account'));
      expect(new URL(page.url()).pathname).toBe('/fr/sign-in');
    },
  );

  it.sequential('signs in again with the new password only', async () => {
    await driver.fill(page.locator('#email'), email);
    await driver.fill(page.locator('#password'), password);
    expect((await submit('Se connecter')).status()).toBe(422);
    await driver.fill(page.locator('#email'), email);
    await driver.fill(page.locator('#password'), newPassword);
    await submit('Se connecter');
    // Back to the page that was asked for before signing in.
    expect(new URL(page.url()).pathname).toBe('/fr/account');
  });
});

describe.concurrent.each([true, false])('the skip link (JavaScript on: %s)', (javaScript) => {
  it('is the first Tab stop and takes keyboard users past the header to the main content', async () => {
    const context = await newContext(browser, { javaScriptEnabled: javaScript });
    try {
      const page = await context.newPage();
      await page.goto(server.url('/fr/sign-in'));
      await page.keyboard.press('Tab');
      const skip = page.getByRole('link', { name: 'Passer au contenu principal', exact: true });
      expect(await isFocused(skip)).toBe(true);
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      // The next stop is the first field of the sign-in form, not the header's links.
      expect(await isFocused(page.locator('#email'))).toBe(true);
    } finally {
      await context.close();
    }
  });
});

describe('an organization admin publishes a CSV, and a visitor finds it in French (JavaScript off)', () => {
  const name = 'assessment-centres-journey';
  const titleFr = 'Centres d’évaluation de la COVID-19';
  let admin: Page;
  let visitor: Page;
  const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
  const press = (page: Page, name: string) => navigation(page, () => page.getByRole('button', { name, exact: true }).click());
  const follow = (page: Page, name: string) => navigation(page, () => page.getByRole('link', { name, exact: true }).click());

  beforeAll(async () => {
    const organization = await makeOrganization(server.app, 'ministry-of-health-journey');
    const account = await makeAccount(server.app, { roles: [[organization.id, ['admin']]] });
    const adminContext = await newContext(browser, { javaScriptEnabled: false });
    await signInContext(server, adminContext, account);
    admin = await adminContext.newPage();
    visitor = await (await newContext(browser, { javaScriptEnabled: false })).newPage();
  });
  afterAll(async () => {
    await admin?.context().close();
    await visitor?.context().close();
  });

  it.sequential('creates a draft with the form, in both languages', async () => {
    await admin.goto(server.url('/en/datasets/new'));
    const fields = {
      name,
      titleEn: 'COVID-19 assessment centres',
      titleFr,
      descriptionEn: 'Where to get tested in Ontario, with opening hours.',
      descriptionFr: 'Où se faire tester en Ontario, avec les heures d’ouverture.',
      keywordsEn: 'health, testing',
      keywordsFr: 'santé, dépistage',
    };
    for (const [id, value] of Object.entries(fields)) await admin.locator(`#${id}`).fill(value);
    await admin.locator('#licenceId').selectOption('ogl-ontario-1.0');
    await press(admin, 'Save as draft');
    expect(admin.url()).toBe(server.url(`/en/datasets/${name}?notice=created`));
    await expect(heading(admin)).resolves.toBe('COVID-19 assessment centres');
  });

  it.sequential('adds a CSV upload and follows its load until the preview shows', async () => {
    await follow(admin, 'Add data or a file');
    await admin.locator('#nameEn').fill('Assessment centres');
    await admin.locator('#nameFr').fill('Centres d’évaluation');
    await admin.locator('#file').setInputFiles({ name: 'centres.csv', mimeType: 'text/csv', buffer: Buffer.from(sampleCsv()) });
    await press(admin, 'Save');
    expect(admin.url()).toBe(server.url(`/en/datasets/${name}?notice=resourceAdded`));

    await follow(admin, 'Assessment centres');
    await expect(admin.locator('#data ~ p .govuk-tag').textContent()).resolves.toContain('Waiting to load');
    await expect(admin.locator('#job-progress').textContent()).resolves.toContain('Waiting');
    // The worker runs the load (the test server runs no jobs by itself); the page's refresh link shows it.
    await server.app.kernel.jobs.runUntilIdle();
    await follow(admin, 'Refresh to see the latest progress');
    await expect(admin.locator('#data ~ p .govuk-tag').textContent()).resolves.toContain('Loaded');
    await expect(admin.locator('#preview-caption').textContent()).resolves.toMatch(/^Rows of Assessment centres, page 1 of \d+$/);
    expect(await admin.locator('#preview-caption ~ tbody tr').count()).toBe(20);
  });

  it.sequential('publishes it', async () => {
    await navigation(admin, () => admin.getByRole('link', { name: 'COVID-19 assessment centres', exact: true }).first().click());
    await press(admin, 'Publish');
    expect(admin.url()).toBe(server.url(`/en/datasets/${name}?notice=published`));
  });

  it.sequential('a visitor finds it by searching in French, and opens it', async () => {
    await visitor.goto(server.url('/fr/datasets'));
    await visitor.locator('#q').fill('dépistage');
    await press(visitor, 'Rechercher');
    await expect(visitor.locator('main [role=status]').textContent()).resolves.toContain('1 jeu de données');
    await follow(visitor, titleFr);
    expect(new URL(visitor.url()).pathname).toBe(`/fr/datasets/${name}`);
    await expect(heading(visitor)).resolves.toBe(titleFr);
    expect(await visitor.locator('html').getAttribute('lang')).toBe('fr');
  });
});
