import type { Page } from 'playwright-core';
import type { Fixture } from './fixture.js';
import { navigation } from './interact.js';
import { search, sentEmpty, shown, submitEmpty, submitForged, type Act, type Visit } from './visits.js';

/**
 * The services module's rows of the accessibility sweep's plan (merged into pages.ts): the
 * inventory, each service, the KPI dashboards and feedback (anonymous), the service team's pages
 * (the organization's admin, who may also rate the Digital Service Standard) and the two
 * superadmin pages. Every page ends with the "Did you find what you were looking for?" form, so
 * it is checked with each of them. Data comes from support/services.ts.
 */

const service = (f: Fixture) => `/services/${f.services.code}`;
const counted = (f: Fixture) => `/services/${f.services.countsCode}`;
const feedback = (f: Fixture) => `/feedback/${f.services.code}`;
const point = (f: Fixture) => `/admin/service-standard/${f.services.pointId}`;
const notAllowed = 'someone not allowed';
const filterButton = /^(Filter|Filtrer)$/;

/** A page a resident (no role anywhere) may not open: the 403 page. */
const refused = (path: (f: Fixture) => string): Visit => ({
  as: 'resident',
  path,
  state: notAllowed,
  status: 403,
});

/** A form sent empty: the page again with an error summary. `action` ends the form's address. */
const emptied = (
  as: Visit['as'],
  path: (f: Fixture) => string,
  action: string | ((f: Fixture) => string),
): Visit => ({
  as,
  path,
  state: sentEmpty,
  act: (page, f) => submitEmpty(typeof action === 'string' ? action : action(f))(page, f),
  status: 422,
  errorSummary: true,
});

/** Presses one of the two buttons of the "Did you find what you were looking for?" form at the bottom of the page. */
function answerPageFeedback(found: 'yes' | 'no'): Act {
  return (page: Page) =>
    navigation(page, () => page.locator(`#page-feedback button[name=found][value=${found}]`).click());
}

export const servicesVisits: Record<string, Visit[]> = {
  // The inventory
  '/:locale/services': [
    { as: 'anonymous', path: () => '/services', state: shown },
    {
      as: 'anonymous',
      path: () => '/services',
      state: 'searched',
      act: search({ '#q': 'fishing' }, filterButton),
    },
    {
      as: 'anonymous',
      path: (f) => `/services?organization=${f.organization.slug}&channel=online&type=APIR&online=yes`,
      state: 'filtered by organization, channel, type and online application',
    },
    { as: 'anonymous', path: () => '/services?q=xylophone', state: 'nothing found' },
    { as: 'orgAdmin', path: () => '/services', state: 'an editor, with the add link' },
  ],
  '/:locale/services/:code': [
    { as: 'anonymous', path: service, state: 'anonymous: KPIs, improvements, assessment' },
    {
      as: 'orgAdmin',
      path: (f) => `${service(f)}?notice=updated`,
      state: 'its team, with the staff links and a notice',
    },
    { as: 'anonymous', path: counted, state: 'a service with reported counts and no web address' },
    { as: 'anonymous', path: () => '/services/NO-SUCH-SERVICE', state: 'unknown service', status: 404 },
  ],

  // The KPI dashboards
  '/:locale/services/:code/performance': [
    {
      as: 'anonymous',
      path: (f) => `${service(f)}/performance`,
      state: 'events, costs, answers and a standard',
    },
    {
      as: 'anonymous',
      path: (f) => `${service(f)}/performance?period=12m&channel=online`,
      state: 'one channel',
    },
    {
      as: 'anonymous',
      path: (f) => `${counted(f)}/performance`,
      state: 'reported counts, a channel with no data, too few answers',
    },
  ],
  '/:locale/services/dashboard': [
    { as: 'anonymous', path: () => '/services/dashboard', state: 'all services, last 12 months' },
    { as: 'anonymous', path: () => '/services/dashboard?channel=online', state: 'one channel' },
    {
      as: 'anonymous',
      path: () => '/services/dashboard?period=FY2023-2024',
      state: 'a fiscal year with no data',
    },
    { as: 'anonymous', path: () => '/services/dashboard?period=2020-01', state: 'a month with no data' },
    {
      as: 'anonymous',
      path: () => '/services/dashboard?period=someday',
      state: 'a period that does not exist: the default figures and the error on the period',
      status: 422,
      errorSummary: true,
    },
  ],
  '/:locale/services/dashboard/organizations/:slug': [
    {
      as: 'anonymous',
      path: (f) => `/services/dashboard/organizations/${f.organization.slug}`,
      state: 'its services',
    },
    {
      as: 'anonymous',
      path: () => '/services/dashboard/organizations/no-such-organization',
      state: 'unknown organization',
      status: 404,
    },
  ],
  '/:locale/services/methodology': [
    { as: 'anonymous', path: () => '/services/methodology', state: shown },
    {
      as: 'anonymous',
      path: () => '/services/methodology',
      state: '“yes” pressed in the page’s feedback form: thanks',
      act: answerPageFeedback('yes'),
    },
  ],
  '/:locale/services/:code/you-said-we-did': [
    { as: 'anonymous', path: (f) => `${service(f)}/you-said-we-did`, state: 'one change published' },
    {
      as: 'orgAdmin',
      path: (f) => `${service(f)}/you-said-we-did?notice=published`,
      state: 'its team, with a notice',
    },
  ],
  '/:locale/services/:code/assessment': [
    {
      as: 'anonymous',
      path: (f) => `${service(f)}/assessment`,
      state: 'a point rated twice, the others not yet',
    },
    {
      as: 'orgAdmin',
      path: (f) => `${service(f)}/assessment?notice=rated`,
      state: 'its admin: rate link and a notice',
    },
  ],

  // Feedback after a transaction, and "Did you find what you were looking for?"
  '/:locale/feedback/:code': [
    { as: 'anonymous', path: feedback, state: 'without a transaction reference' },
    {
      as: 'anonymous',
      path: (f) => `${feedback(f)}?ref=${f.services.freshRef}`,
      state: 'with a fresh reference',
    },
    {
      as: 'anonymous',
      path: (f) => `${feedback(f)}?ref=${f.services.usedRef}`,
      state: 'a reference already used: already given',
      status: 409,
    },
    {
      as: 'anonymous',
      path: (f) => `${feedback(f)}?ref=unknown`,
      state: 'an unknown reference',
      status: 404,
    },
    emptied('anonymous', feedback, feedback),
  ],
  '/:locale/feedback/:code/thanks': [{ as: 'anonymous', path: (f) => `${feedback(f)}/thanks`, state: shown }],
  '/:locale/page-feedback': [
    { as: 'anonymous', path: () => '/page-feedback?path=/en/services', state: shown },
    {
      as: 'anonymous',
      path: () => '/services',
      state: 'reached with “no” in the form at the bottom of the inventory',
      act: answerPageFeedback('no'),
    },
    {
      as: 'anonymous',
      path: () => '/page-feedback?path=/en/services',
      state: 'an answer that is neither yes nor no',
      act: submitForged('/page-feedback', 'found', 'maybe'),
      status: 422,
      errorSummary: true,
    },
  ],
  '/:locale/page-feedback/thanks': [
    { as: 'anonymous', path: () => '/page-feedback/thanks?path=/en/services', state: shown },
  ],

  // The service team's pages (the organization's admin; a resident is refused)
  '/:locale/services/new': [
    { as: 'orgAdmin', path: () => '/services/new', state: shown },
    emptied('orgAdmin', () => '/services/new', '/services/new'),
    refused(() => '/services/new'),
  ],
  '/:locale/services/:code/edit': [
    { as: 'orgAdmin', path: (f) => `${service(f)}/edit`, state: 'filled in with the service' },
    emptied('orgAdmin', (f) => `${service(f)}/edit`, '/edit'),
    refused((f) => `${service(f)}/edit`),
  ],
  '/:locale/services/:code/feedback': [
    { as: 'orgAdmin', path: (f) => `${service(f)}/feedback`, state: 'responses, tags, one actioned' },
    {
      as: 'orgAdmin',
      path: (f) => `${service(f)}/feedback?satisfaction=1&satisfaction=2&comment=true&notice=tagged`,
      state: 'filtered, with a notice',
    },
    {
      as: 'orgAdmin',
      path: (f) => `${service(f)}/feedback?status=actioned&tag=payment`,
      state: 'actioned, by tag',
    },
    {
      as: 'orgAdmin',
      path: (f) => `${service(f)}/feedback?from=bad`,
      state: 'a date that is not one: shown on the filter form',
      status: 422,
      errorSummary: true,
    },
    refused((f) => `${service(f)}/feedback`),
  ],
  '/:locale/services/:code/you-said-we-did/new': [
    { as: 'orgAdmin', path: (f) => `${service(f)}/you-said-we-did/new`, state: shown },
    emptied('orgAdmin', (f) => `${service(f)}/you-said-we-did/new`, '/you-said-we-did/new'),
    refused((f) => `${service(f)}/you-said-we-did/new`),
  ],
  '/:locale/services/:code/figures': [
    {
      as: 'orgAdmin',
      path: (f) => `${service(f)}/figures?notice=cost`,
      state: 'costs and a standard with a result, with a notice',
    },
    { as: 'orgAdmin', path: (f) => `${counted(f)}/figures`, state: 'reported counts, one with no data' },
    {
      ...emptied('orgAdmin', (f) => `${service(f)}/figures`, '/figures/costs'),
      state: 'the cost form sent empty',
    },
    {
      ...emptied('orgAdmin', (f) => `${service(f)}/figures`, '/figures/standards'),
      state: 'the new standard form sent empty',
    },
    refused((f) => `${service(f)}/figures`),
  ],
  '/:locale/services/:code/funnel': [
    { as: 'orgAdmin', path: (f) => `${service(f)}/funnel`, state: 'steps, the slowest marked' },
    { as: 'orgAdmin', path: (f) => `${counted(f)}/funnel`, state: 'no events' },
    {
      as: 'orgAdmin',
      path: (f) => `${service(f)}/funnel?period=bad`,
      state: 'a period that does not exist',
      status: 422,
      errorSummary: true,
    },
    refused((f) => `${service(f)}/funnel`),
  ],
  '/:locale/services/:code/assessment/rate': [
    { as: 'orgAdmin', path: (f) => `${service(f)}/assessment/rate`, state: shown },
    {
      as: 'orgAdmin',
      path: (f) => `${service(f)}/assessment/rate?point=${f.services.pointId}`,
      state: 'one point chosen',
    },
    emptied('orgAdmin', (f) => `${service(f)}/assessment/rate`, '/assessment/rate'),
    refused((f) => `${service(f)}/assessment/rate`),
  ],

  // Superadmins: the standard's points, and the answers to "Did you find what you were looking for?"
  '/:locale/admin/service-standard': [
    {
      as: 'superadmin',
      path: () => '/admin/service-standard?notice=saved',
      state: 'Ontario’s points, with a notice',
    },
    refused(() => '/admin/service-standard'),
  ],
  '/:locale/admin/service-standard/new': [
    { as: 'superadmin', path: () => '/admin/service-standard/new', state: shown },
    emptied('superadmin', () => '/admin/service-standard/new', '/admin/service-standard/new'),
  ],
  '/:locale/admin/service-standard/:id': [
    { as: 'superadmin', path: point, state: 'filled in with the point' },
    emptied('superadmin', point, point),
    {
      as: 'superadmin',
      path: () => '/admin/service-standard/no-such-point',
      state: 'unknown point',
      status: 404,
    },
  ],
  '/:locale/admin/page-feedback': [
    { as: 'superadmin', path: () => '/admin/page-feedback', state: 'answers, with and without a comment' },
    refused(() => '/admin/page-feedback'),
  ],
};
