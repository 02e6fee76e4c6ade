import { all, orgEditors, type MatrixPart } from '../../../../test/support/authorization.js';
import { makeDataset } from './factories.js';
import { runJobs, uploadResource } from './datastore-support.js';

/** The datastore's routes in the authorization matrix (a loaded CSV of an open dataset in organization A). */
let dataset = '';
let resourceId = '';
const target = { name: () => dataset, resourceId: () => resourceId };

export const datastorePart: MatrixPart = {
  name: 'catalogue-datastore',
  async setup(w) {
    const made = await makeDataset(w.t.app, w.orgA.id, { name: 'matrix-datastore', link: false });
    dataset = made.name;
    resourceId = (await uploadResource(w.t.app, made.id, 'matrix.csv', 'id,name\n1,one\n2,two\n')).id;
    await runJobs(w.t.app);
  },
  entries: {
    // Pages
    'GET /:locale/datasets/:name/resources/:resourceId/schema': {
      expect: orgEditors(200, 303),
      params: target,
    },
    'POST /:locale/datasets/:name/resources/:resourceId/schema': {
      expect: orgEditors(422, 303),
      params: target,
    },
    'POST /:locale/datasets/:name/resources/:resourceId/load': {
      expect: orgEditors(303, 303),
      params: target,
    },
    // JSON API
    'GET /api/v1/datasets/:name/resources/:resourceId/data': { expect: all(200), params: target },
    'GET /api/v1/datasets/:name/resources/:resourceId/data.csv': { expect: all(200), params: target },
    'GET /api/v1/datasets/:name/resources/:resourceId/data.json': { expect: all(200), params: target },
    'GET /api/v1/datasets/:name/resources/:resourceId/schema': { expect: all(200), params: target },
    'PUT /api/v1/datasets/:name/resources/:resourceId/schema': {
      expect: orgEditors(202, 401),
      params: target,
      body: () => ({
        fields: [
          { name: 'id', type: 'integer' },
          { name: 'name', type: 'string' },
        ],
      }),
    },
    'POST /api/v1/datasets/:name/resources/:resourceId/load': {
      expect: orgEditors(202, 401),
      params: target,
      body: () => ({}),
    },
  },
};
