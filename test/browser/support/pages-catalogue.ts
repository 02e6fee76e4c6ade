import type { Fixture } from './fixture.js';
import { search, sentEmpty, shown, submitEmpty, submitForged, submitWith, type Visit } from './visits.js';

/**
 * The catalogue's rows of the accessibility sweep's plan (merged into pages.ts): open data to find
 * and read (anonymous), to publish (the organization's admin), groups, harvest sources and usage
 * figures to manage (superadmin), requests and standards. Data comes from support/catalogue.ts.
 */

const dataset = (f: Fixture) => `/datasets/${f.catalogue.dataset}`;
const draft = (f: Fixture) => `/datasets/${f.catalogue.draft}`;
const csv = (f: Fixture) => `${dataset(f)}/resources/${f.catalogue.csvResourceId}`;
const link = (f: Fixture) => `${dataset(f)}/resources/${f.catalogue.linkResourceId}`;
const request = (f: Fixture) => `/dataset-requests/${f.catalogue.requestId}`;
const standard = (f: Fixture) => `/data-standards/${f.catalogue.standard.name}`;
const group = (f: Fixture) => `/groups/${f.catalogue.group}`;
const harvest = (f: Fixture) => `/harvest/${f.catalogue.harvestSource}`;
const missingId = '00000000-0000-4000-8000-000000000000';
const notAllowed = 'someone not allowed';
const searchButton = /^(Search|Rechercher)$/;

/** A page a resident (no role anywhere) may not open: the 403 page. */
const refused = (path: (f: Fixture) => string): Visit => ({
  as: 'resident',
  path,
  state: notAllowed,
  status: 403,
});

/** A form sent empty: the page again with an error summary. */
const emptied = (as: Visit['as'], path: (f: Fixture) => string, action: string): Visit => ({
  as,
  path,
  state: sentEmpty,
  act: submitEmpty(action),
  status: 422,
  errorSummary: true,
});

export const catalogueVisits: Record<string, Visit[]> = {
  // Finding and reading open data
  '/:locale/datasets': [
    { as: 'anonymous', path: () => '/datasets', state: shown },
    {
      as: 'anonymous',
      path: () => '/datasets',
      state: 'searched',
      act: search({ '#q': 'centres' }, searchButton),
    },
    {
      as: 'anonymous',
      path: () => '/datasets?q=centres&group=health&format=CSV',
      state: 'filtered by group and format',
    },
    {
      as: 'anonymous',
      path: () => '/datasets?q=assesment',
      state: 'no exact match: close matches and “did you mean”',
    },
    { as: 'anonymous', path: () => '/datasets?q=xylophone', state: 'nothing found' },
    { as: 'orgAdmin', path: () => '/datasets', state: 'an editor, with the publish button' },
  ],
  '/:locale/datasets/:name': [
    { as: 'anonymous', path: dataset, state: 'a published dataset' },
    { as: 'orgAdmin', path: (f) => `${dataset(f)}?notice=saved`, state: 'its editor, with a notice' },
    { as: 'orgAdmin', path: draft, state: 'a draft missing its French text' },
    {
      as: 'orgAdmin',
      path: draft,
      state: 'publish pressed on an incomplete draft',
      act: submitWith('/publish'),
      status: 422,
      errorSummary: true,
    },
    { as: 'anonymous', path: () => '/datasets/no-such-dataset', state: 'unknown dataset', status: 404 },
  ],
  '/:locale/datasets/:name/history': [
    { as: 'anonymous', path: (f) => `${dataset(f)}/history`, state: 'versions' },
  ],
  '/:locale/datasets/:name/metrics': [
    { as: 'anonymous', path: (f) => `${dataset(f)}/metrics`, state: 'views and downloads' },
  ],
  '/:locale/datasets/:name/resources/:resourceId': [
    { as: 'anonymous', path: csv, state: 'a loaded CSV: preview, report, API examples' },
    { as: 'anonymous', path: (f) => `${csv(f)}?page=2`, state: 'second page of the preview' },
    { as: 'orgAdmin', path: (f) => `${csv(f)}?notice=saved`, state: 'its editor: load progress and buttons' },
    { as: 'anonymous', path: link, state: 'a link' },
  ],
  '/:locale/datasets/:name/resources/:resourceId/download': [
    { as: 'anonymous', path: (f) => `${csv(f)}/download`, state: 'the uploaded file', file: true },
    {
      as: 'anonymous',
      path: (f) => `${link(f)}/download`,
      state: 'a link: redirect to it',
      file: true,
      status: 302,
    },
    {
      as: 'anonymous',
      path: (f) => `${dataset(f)}/resources/${missingId}/download`,
      state: 'unknown resource',
      status: 404,
    },
  ],

  // Publishing (the organization's admin)
  '/:locale/datasets/new': [
    { as: 'orgAdmin', path: () => '/datasets/new', state: shown },
    emptied('orgAdmin', () => '/datasets/new', '/datasets/new'),
    refused(() => '/datasets/new'),
  ],
  '/:locale/datasets/:name/edit': [
    { as: 'orgAdmin', path: (f) => `${dataset(f)}/edit`, state: shown },
    emptied('orgAdmin', (f) => `${dataset(f)}/edit`, '/edit'),
    refused((f) => `${dataset(f)}/edit`),
  ],
  '/:locale/datasets/:name/delete': [
    { as: 'orgAdmin', path: (f) => `${draft(f)}/delete`, state: shown },
    // A draft is hidden from a resident (404); a published dataset is seen, and its deletion refused.
    refused((f) => `${dataset(f)}/delete`),
  ],
  '/:locale/datasets/:name/resources/new': [
    { as: 'orgAdmin', path: (f) => `${dataset(f)}/resources/new`, state: shown },
    emptied('orgAdmin', (f) => `${dataset(f)}/resources/new`, '/resources/new'),
    refused((f) => `${dataset(f)}/resources/new`),
  ],
  '/:locale/datasets/:name/resources/:resourceId/edit': [
    { as: 'orgAdmin', path: (f) => `${csv(f)}/edit`, state: 'an uploaded file' },
    { as: 'orgAdmin', path: (f) => `${link(f)}/edit`, state: 'a link' },
    emptied('orgAdmin', (f) => `${link(f)}/edit`, '/edit'),
    refused((f) => `${link(f)}/edit`),
  ],
  '/:locale/datasets/:name/resources/:resourceId/schema': [
    { as: 'orgAdmin', path: (f) => `${csv(f)}/schema`, state: 'the columns of a loaded CSV' },
    {
      as: 'orgAdmin',
      path: (f) => `${csv(f)}/schema`,
      state: 'a type that does not exist',
      act: submitForged('/schema', 'type-0', 'not-a-type'),
      status: 422,
      errorSummary: true,
    },
  ],

  // Groups (managed by superadmins)
  '/:locale/groups': [
    { as: 'anonymous', path: () => '/groups', state: shown },
    { as: 'superadmin', path: () => '/groups?notice=saved', state: 'with the create button and a notice' },
  ],
  '/:locale/groups/new': [
    { as: 'superadmin', path: () => '/groups/new', state: shown },
    emptied('superadmin', () => '/groups/new', '/groups/new'),
    refused(() => '/groups/new'),
  ],
  '/:locale/groups/:name': [
    { as: 'anonymous', path: group, state: 'its datasets' },
    { as: 'superadmin', path: group, state: 'with the edit link' },
    { as: 'anonymous', path: () => '/groups/no-such-group', state: 'unknown group', status: 404 },
  ],
  '/:locale/groups/:name/edit': [
    { as: 'superadmin', path: (f) => `${group(f)}/edit`, state: shown },
    emptied('superadmin', (f) => `${group(f)}/edit`, '/edit'),
  ],

  // Harvest sources (superadmin)
  '/:locale/harvest': [
    { as: 'superadmin', path: () => '/harvest', state: 'a source never run' },
    refused(() => '/harvest'),
  ],
  '/:locale/harvest/new': [
    { as: 'superadmin', path: () => '/harvest/new', state: shown },
    emptied('superadmin', () => '/harvest/new', '/harvest/new'),
  ],
  '/:locale/harvest/:name': [
    { as: 'superadmin', path: (f) => `${harvest(f)}?notice=created`, state: 'never run, with a notice' },
  ],
  '/:locale/harvest/:name/edit': [
    { as: 'superadmin', path: (f) => `${harvest(f)}/edit`, state: shown },
    emptied('superadmin', (f) => `${harvest(f)}/edit`, '/edit'),
  ],

  // Data standards
  '/:locale/data-standards': [
    { as: 'anonymous', path: () => '/data-standards', state: shown },
    { as: 'orgAdmin', path: () => '/data-standards', state: 'with the register button' },
  ],
  '/:locale/data-standards/new': [
    { as: 'orgAdmin', path: () => '/data-standards/new', state: shown },
    emptied('orgAdmin', () => '/data-standards/new', '/data-standards/new'),
    refused(() => '/data-standards/new'),
  ],
  '/:locale/data-standards/:name': [
    { as: 'anonymous', path: standard, state: 'the latest version, used by a resource' },
    { as: 'orgAdmin', path: standard, state: 'with the new version button' },
    {
      as: 'anonymous',
      path: () => '/data-standards/no-such-standard',
      state: 'unknown standard',
      status: 404,
    },
  ],
  '/:locale/data-standards/:name/versions/:version': [
    {
      as: 'anonymous',
      path: (f) => `${standard(f)}/versions/${f.catalogue.standard.version}?notice=registered`,
      state: 'one version, with a notice',
    },
  ],

  // Dataset requests
  '/:locale/dataset-requests': [
    { as: 'anonymous', path: () => '/dataset-requests', state: shown },
    {
      as: 'anonymous',
      path: () => '/dataset-requests?status=received&status=planned',
      state: 'filtered by status',
    },
  ],
  '/:locale/dataset-requests/new': [
    { as: 'anonymous', path: () => '/dataset-requests/new', state: 'anonymous' },
    emptied('anonymous', () => '/dataset-requests/new', '/dataset-requests/new'),
    { as: 'resident', path: () => '/dataset-requests/new', state: 'signed in: may follow it' },
  ],
  '/:locale/dataset-requests/:id': [
    { as: 'anonymous', path: request, state: 'anonymous: sign in to vote' },
    { as: 'resident', path: request, state: 'signed in: vote and follow' },
    {
      as: 'orgAdmin',
      path: (f) => `${request(f)}?notice=created`,
      state: 'an editor: answer, with a notice',
    },
  ],
  '/:locale/dataset-requests/:id/answer': [
    { as: 'orgAdmin', path: (f) => `${request(f)}/answer`, state: shown },
    {
      as: 'orgAdmin',
      path: (f) => `${request(f)}/answer`,
      state: 'declined without a reason',
      act: async (page, f) => {
        await page.locator('input[name=status][value=declined]').check();
        return submitEmpty('/answer')(page, f);
      },
      status: 422,
      errorSummary: true,
    },
    refused((f) => `${request(f)}/answer`),
  ],

  // Usage figures
  '/:locale/dataset-metrics': [
    { as: 'anonymous', path: () => '/dataset-metrics', state: shown },
    { as: 'superadmin', path: () => '/dataset-metrics', state: 'with the publisher form' },
    {
      as: 'superadmin',
      path: () => '/dataset-metrics',
      state: 'publisher form sent without a choice',
      act: submitWith('/dataset-metrics/publisher'),
      status: 422,
      errorSummary: true,
    },
  ],
};
