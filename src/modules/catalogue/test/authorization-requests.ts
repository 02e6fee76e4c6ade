import { randomBytes } from 'node:crypto';
import { system } from '../../../kernel/auth/actor.js';
import { all, orgEditors, signedIn, superOnly, type MatrixPart, type Statuses } from '../../../../test/support/authorization.js';
import { createDatasetRequest } from '../actions/requests.js';
import { registerStandard } from '../actions/standards.js';
import { catalogueDeps, makeDataset } from './factories.js';

/**
 * The authorization matrix for dataset requests, data standards, and usage metrics. Requests are
 * public to read and to ask; voting and following need an account; answering needs the editor role
 * in the request's organization (or superadmin). Standards are public to read; editors register
 * them for their organization. Metrics are public; superadmins choose who publishes them.
 */
let dataset = '';
let requestId = '';
let answerId = '';
const standardName = 'matrix-standard';
const ctx = { actor: system, requestId: 'matrix' };

/** Editors of any organization may open the form (they register for their own). */
const anyEditor = (s: number, anonymous: number): Statuses => ({ ...all(403), anonymous, editor: s, otherAdmin: s, orgAdmin: s, superadmin: s });
const schema = { fields: [{ name: 'id', type: 'integer' }, { name: 'name', type: 'string' }], primaryKey: 'id' };

export const catalogueRequestsPart: MatrixPart = {
  name: 'catalogue-requests',
  async setup(w) {
    const deps = catalogueDeps(w.t.app);
    dataset = (await makeDataset(w.t.app, w.orgA.id, { name: 'matrix-metrics' })).name;
    requestId = (await createDatasetRequest(deps, ctx, { title: 'Matrix request', description: 'For voting.', organizationId: w.orgA.id })).id;
    answerId = (await createDatasetRequest(deps, ctx, { title: 'Matrix answer', description: 'For answering.', organizationId: w.orgA.id })).id;
    await registerStandard(deps, ctx, { organizationId: w.orgA.id, name: standardName, version: '1.0', titleEn: 'Matrix', titleFr: 'Matrice', schema });
  },
  entries: {
    // Dataset requests: pages
    'GET /:locale/dataset-requests': { expect: all(200) },
    'GET /:locale/dataset-requests/new': { expect: all(200) },
    'POST /:locale/dataset-requests/new': { expect: all(422) },
    'GET /:locale/dataset-requests/:id': { expect: all(200), params: { id: () => requestId } },
    'POST /:locale/dataset-requests/:id/vote': { expect: signedIn(303, 303), params: { id: () => requestId } },
    'POST /:locale/dataset-requests/:id/unvote': { expect: signedIn(303, 303), params: { id: () => requestId } },
    'POST /:locale/dataset-requests/:id/follow': { expect: signedIn(303, 303), params: { id: () => requestId } },
    'POST /:locale/dataset-requests/:id/unfollow': { expect: signedIn(303, 303), params: { id: () => requestId } },
    'GET /:locale/dataset-requests/:id/answer': { expect: orgEditors(200, 303), params: { id: () => answerId } },
    'POST /:locale/dataset-requests/:id/answer': { expect: orgEditors(422, 303), params: { id: () => answerId } },

    // Dataset requests: JSON API
    'GET /api/v1/dataset-requests': { expect: all(200) },
    'POST /api/v1/dataset-requests': { expect: all(201), body: () => ({ title: 'A matrix request', description: 'Asked through the API.' }) },
    'GET /api/v1/dataset-requests/:id': { expect: all(200), params: { id: () => requestId } },
    'PUT /api/v1/dataset-requests/:id/vote': { expect: signedIn(200, 401), params: { id: () => requestId }, body: () => ({}) },
    'DELETE /api/v1/dataset-requests/:id/vote': { expect: signedIn(200, 401), params: { id: () => requestId } },
    'PUT /api/v1/dataset-requests/:id/follow': { expect: signedIn(200, 401), params: { id: () => requestId }, body: () => ({}) },
    'DELETE /api/v1/dataset-requests/:id/follow': { expect: signedIn(200, 401), params: { id: () => requestId } },
    'PUT /api/v1/dataset-requests/:id/status': { expect: orgEditors(200, 401), params: { id: () => answerId }, body: () => ({ status: 'planned' }) },

    // Data standards: pages
    'GET /:locale/data-standards': { expect: all(200) },
    'GET /:locale/data-standards/new': { expect: anyEditor(200, 303) },
    'POST /:locale/data-standards/new': { expect: anyEditor(422, 303) },
    'GET /:locale/data-standards/:name': { expect: all(200), params: { name: standardName } },
    'GET /:locale/data-standards/:name/versions/:version': { expect: all(200), params: { name: standardName, version: '1.0' } },

    // Data standards: JSON API
    'GET /api/v1/data-standards': { expect: all(200) },
    'POST /api/v1/data-standards': {
      expect: orgEditors(201, 401),
      body: (_a, w) => ({ organizationId: w.orgA.id, name: standardName, version: `1.${randomBytes(3).toString('hex')}`, titleEn: 'Matrix', titleFr: 'Matrice', schema }),
    },
    'GET /api/v1/data-standards/:name': { expect: all(200), params: { name: standardName } },
    'GET /api/v1/data-standards/:name/versions/:version': { expect: all(200), params: { name: standardName, version: '1.0' } },
    'GET /api/v1/data-standards/:name/versions/:version/schema': { expect: all(200), params: { name: standardName, version: '1.0' } },

    // Usage metrics
    'GET /:locale/dataset-metrics': { expect: all(200) },
    'POST /:locale/dataset-metrics/publisher': { expect: superOnly(422, 303) },
    'POST /:locale/dataset-metrics/publish': { expect: superOnly(303, 303) },
    'GET /:locale/datasets/:name/metrics': { expect: all(200), params: { name: () => dataset } },
    'GET /api/v1/dataset-metrics': { expect: all(200) },
    'PUT /api/v1/dataset-metrics/publisher': { expect: superOnly(200, 401), body: (_a, w) => ({ organizationId: w.orgA.id }) },
    'POST /api/v1/dataset-metrics/publication': { expect: superOnly(202, 401), body: () => ({}) },
    'GET /api/v1/datasets/:name/metrics': { expect: all(200), params: { name: () => dataset } },
  },
};
