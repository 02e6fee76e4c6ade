import { randomBytes } from 'node:crypto';
import { system } from '../../../kernel/auth/actor.js';
import { all, orgEditors, type MatrixPart, type Statuses } from '../../../../test/support/authorization.js';
import { addResource } from '../actions/resources.js';
import { catalogueDeps, makeDataset } from './factories.js';

/**
 * The CKAN Action API in the authorization matrix. Its four routes take the action's name as a
 * parameter; each entry calls an action whose answer depends on who asks (actors come with a
 * browser session and send JSON, which the API accepts). CKAN answers 403, not 401, to anonymous
 * callers, and 404 for what the caller may not know exists.
 */
let restrictedResource = '';
const ctx = { actor: system, requestId: 'matrix' };

/** Organization A's editors (and above) see its drafts; everyone else is told it does not exist. */
const draftReaders: Statuses = { ...all(404), editor: 200, orgAdmin: 200, superadmin: 200 };
/** Resources of a dataset that is not open: organization A's members only. */
const members: Statuses = { ...all(404), viewer: 200, editor: 200, orgAdmin: 200, superadmin: 200 };

export const ckanPart: MatrixPart = {
  name: 'catalogue (CKAN Action API)',
  async setup(w) {
    await makeDataset(w.t.app, w.orgA.id, { name: 'ckan-matrix-draft', publish: false });
    await makeDataset(w.t.app, w.orgA.id, { name: 'ckan-matrix-open' });
    const restricted = await makeDataset(w.t.app, w.orgA.id, {
      name: 'ckan-matrix-restricted',
      accessLevel: 'restricted',
      exemptionReasonEn: 'Security',
      exemptionReasonFr: 'Sécurité',
      link: false,
    });
    restrictedResource = (await addResource(catalogueDeps(w.t.app), ctx, restricted.id, { kind: 'link', nameEn: 'Plans', url: 'https://example.test/plans.csv' })).id;
  },
  entries: {
    'GET /api/3/action/:action': { expect: draftReaders, params: { action: 'package_show' }, query: 'id=ckan-matrix-draft' },
    'GET /api/action/:action': {
      expect: members,
      params: { action: 'resource_show' },
      // Read when the matrix runs, after setup made the resource.
      get query() {
        return `id=${restrictedResource}`;
      },
    },
    'POST /api/3/action/:action': {
      expect: orgEditors(200, 403),
      params: { action: 'package_create' },
      body: (_a, w) => ({ name: `ckan-matrix-${randomBytes(4).toString('hex')}`, owner_org: w.orgA.id, title: 'Matrix', private: true }),
    },
    'POST /api/action/:action': { expect: orgEditors(200, 403), params: { action: 'package_patch' }, body: () => ({ id: 'ckan-matrix-open', notes: 'Patched by the matrix' }) },
  },
};
