import { randomBytes } from 'node:crypto';
import { system } from '../../../kernel/auth/actor.js';
import { all, superOnly, type MatrixPart } from '../../../../test/support/authorization.js';
import { createHarvestSource } from '../actions/harvest.js';
import { addResource } from '../actions/resources.js';
import { catalogueDeps, makeDataset } from './factories.js';

/**
 * The authorization matrix for the open outputs (DCAT-AP, Frictionless) and harvesting. The
 * outputs describe published datasets and are the same for everyone; harvest sources, their pages
 * and their API are for superadmins only.
 */
let dataset = '';
let resourceId = '';
const source = 'matrix-source';
const ctx = { actor: system, requestId: 'matrix' };

export const catalogueHarvestPart: MatrixPart = {
  name: 'catalogue-harvest',
  async setup(w) {
    const deps = catalogueDeps(w.t.app);
    dataset = (await makeDataset(w.t.app, w.orgA.id, { name: 'matrix-dcat', link: false })).name;
    resourceId = (await addResource(deps, ctx, dataset, { kind: 'link', nameEn: 'Matrix', nameFr: 'Matrice', url: 'https://example.test/dcat.csv' })).id;
    await createHarvestSource(deps, ctx, { name: source, titleEn: 'Matrix', titleFr: 'Matrice', kind: 'ckan', url: 'https://ckan.example.test', organizationId: w.orgA.id });
  },
  entries: {
    // DCAT-AP and Frictionless documents, and the addresses they use
    'GET /catalog.jsonld': { expect: all(200) },
    'GET /catalog.ttl': { expect: all(200) },
    'GET /dataset/:name.jsonld': { expect: all(200), params: { name: () => dataset } },
    'GET /dataset/:name.ttl': { expect: all(200), params: { name: () => dataset } },
    'GET /dataset/:name/datapackage.json': { expect: all(200), params: { name: () => dataset } },
    'GET /dataset/:name': { expect: all(303), params: { name: () => dataset } },
    'GET /dataset/:name/resource/:resourceId': { expect: all(303), params: { name: () => dataset, resourceId: () => resourceId } },
    'GET /dataset/:name/resource/:resourceId/download': { expect: all(302), params: { name: () => dataset, resourceId: () => resourceId } },

    // Harvest pages
    'GET /:locale/harvest': { expect: superOnly(200, 303) },
    'GET /:locale/harvest/new': { expect: superOnly(200, 303) },
    'POST /:locale/harvest/new': { expect: superOnly(422, 303) },
    'GET /:locale/harvest/:name': { expect: superOnly(200, 303), params: { name: source } },
    'GET /:locale/harvest/:name/edit': { expect: superOnly(200, 303), params: { name: source } },
    'POST /:locale/harvest/:name/edit': { expect: superOnly(422, 303), params: { name: source } },
    'POST /:locale/harvest/:name/run': { expect: superOnly(303, 303), params: { name: source } },

    // Harvest API
    'GET /api/v1/harvest-sources': { expect: superOnly(200, 401) },
    'POST /api/v1/harvest-sources': {
      expect: superOnly(201, 401),
      body: (_a, w) => ({ name: `matrix-${randomBytes(3).toString('hex')}`, titleEn: 'M', titleFr: 'M', kind: 'dcat', url: 'https://dcat.example.test/catalog.jsonld', organizationId: w.orgA.id }),
    },
    'GET /api/v1/harvest-sources/:name': { expect: superOnly(200, 401), params: { name: source } },
    'PUT /api/v1/harvest-sources/:name': {
      expect: superOnly(200, 401),
      params: { name: source },
      body: (_a, w) => ({ titleEn: 'Matrix', titleFr: 'Matrice', kind: 'ckan', url: 'https://ckan.example.test', organizationId: w.orgA.id }),
    },
    'POST /api/v1/harvest-sources/:name/runs': { expect: superOnly(202, 401), params: { name: source }, body: () => ({}) },
  },
};
