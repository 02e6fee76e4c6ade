import { randomBytes } from 'node:crypto';
import { system } from '../../../kernel/auth/actor.js';
import { all, orgEditors, superOnly, type ActorName, type MatrixPart, type Statuses, type World } from '../../../../test/support/authorization.js';
import { createGroup } from '../actions/groups.js';
import { addResource } from '../actions/resources.js';
import { catalogueDeps, makeDataset } from './factories.js';

/** The catalogue's routes in the authorization matrix. */
let open = '';
let resourceId = '';
const ctx = { actor: system, requestId: 'matrix' };

const freshDataset = async (_a: ActorName, w: World) => (await makeDataset(w.t.app, w.orgA.id)).name;
const freshResource = async (_a: ActorName, w: World) =>
  (await addResource(catalogueDeps(w.t.app), ctx, open, { kind: 'link', nameEn: 'x', url: 'https://example.test/x.csv' })).id;
const datasetBody = (w: World, name: string) => ({
  name,
  organizationId: w.orgA.id,
  titleEn: 'Matrix',
  titleFr: 'Matrice',
  descriptionEn: 'A dataset.',
  descriptionFr: 'Un jeu de données.',
  licenceId: 'ogl-ontario-1.0',
  accessLevel: 'open',
});
/** Editors of any organization may open the form (they publish for their own). */
const anyEditor = (s: number, anonymous: number, refused = 403): Statuses => ({ ...all(refused), anonymous, editor: s, otherAdmin: s, orgAdmin: s, superadmin: s });

export const cataloguePart: MatrixPart = {
  name: 'catalogue',
  async setup(w) {
    open = (await makeDataset(w.t.app, w.orgA.id, { name: 'matrix-open' })).name;
    resourceId = (await addResource(catalogueDeps(w.t.app), ctx, open, { kind: 'link', nameEn: 'Matrix', url: 'https://example.test/m.csv' })).id;
    await createGroup(catalogueDeps(w.t.app), ctx, { name: 'matrix-group', titleEn: 'Matrix', titleFr: 'Matrice' });
  },
  entries: {
    // Pages
    'GET /:locale/datasets': { expect: all(200) },
    'GET /:locale/datasets/new': { expect: anyEditor(200, 303) },
    'POST /:locale/datasets/new': { expect: anyEditor(422, 303) },
    'GET /:locale/datasets/:name': { expect: all(200), params: { name: () => open } },
    'GET /:locale/datasets/:name/history': { expect: all(200), params: { name: () => open } },
    'GET /:locale/datasets/:name/edit': { expect: orgEditors(200, 303), params: { name: () => open } },
    'POST /:locale/datasets/:name/edit': { expect: orgEditors(422, 303), params: { name: () => open } },
    'POST /:locale/datasets/:name/publish': { expect: orgEditors(303, 303), params: { name: () => open } },
    'POST /:locale/datasets/:name/unpublish': { expect: orgEditors(303, 303), params: { name: freshDataset } },
    'GET /:locale/datasets/:name/delete': { expect: orgEditors(200, 303), params: { name: () => open } },
    'POST /:locale/datasets/:name/delete': { expect: orgEditors(303, 303), params: { name: freshDataset } },
    'GET /:locale/datasets/:name/resources/new': { expect: orgEditors(200, 303), params: { name: () => open } },
    'POST /:locale/datasets/:name/resources/new': { expect: orgEditors(422, 303), params: { name: () => open } },
    'GET /:locale/datasets/:name/resources/:resourceId': { expect: all(200), params: { name: () => open, resourceId: () => resourceId } },
    'GET /:locale/datasets/:name/resources/:resourceId/download': { expect: all(302), params: { name: () => open, resourceId: () => resourceId } },
    'GET /:locale/datasets/:name/resources/:resourceId/edit': { expect: orgEditors(200, 303), params: { name: () => open, resourceId: () => resourceId } },
    'POST /:locale/datasets/:name/resources/:resourceId/edit': { expect: orgEditors(422, 303), params: { name: () => open, resourceId: () => resourceId } },
    'POST /:locale/datasets/:name/resources/:resourceId/delete': { expect: orgEditors(303, 303), params: { name: () => open, resourceId: freshResource } },
    'GET /:locale/groups': { expect: all(200) },
    'GET /:locale/groups/new': { expect: superOnly(200, 303) },
    'POST /:locale/groups/new': { expect: superOnly(422, 303) },
    'GET /:locale/groups/:name': { expect: all(200), params: { name: 'matrix-group' } },
    'GET /:locale/groups/:name/edit': { expect: superOnly(200, 303), params: { name: 'matrix-group' } },
    'POST /:locale/groups/:name/edit': { expect: superOnly(422, 303), params: { name: 'matrix-group' } },

    // JSON API
    'GET /api/v1/datasets': { expect: all(200) },
    'POST /api/v1/datasets': { expect: orgEditors(201, 401), body: (_a, w) => datasetBody(w, `matrix-${randomBytes(4).toString('hex')}`) },
    'GET /api/v1/datasets/:name': { expect: all(200), params: { name: () => open } },
    'PUT /api/v1/datasets/:name': { expect: orgEditors(200, 401), params: { name: () => open }, body: (_a, w) => datasetBody(w, open) },
    'DELETE /api/v1/datasets/:name': { expect: orgEditors(204, 401), params: { name: freshDataset } },
    'POST /api/v1/datasets/:name/publication': { expect: orgEditors(200, 401), params: { name: () => open }, body: () => ({}) },
    'DELETE /api/v1/datasets/:name/publication': { expect: orgEditors(200, 401), params: { name: freshDataset } },
    'GET /api/v1/datasets/:name/history': { expect: all(200), params: { name: () => open } },
    'POST /api/v1/datasets/:name/resources': { expect: orgEditors(201, 401), params: { name: () => open }, body: () => ({ kind: 'link', nameEn: 'Link', url: 'https://example.test/a.csv' }) },
    'GET /api/v1/datasets/:name/resources/:resourceId': { expect: all(200), params: { name: () => open, resourceId: () => resourceId } },
    'PUT /api/v1/datasets/:name/resources/:resourceId': { expect: orgEditors(200, 401), params: { name: () => open, resourceId: () => resourceId }, body: () => ({ kind: 'link', nameEn: 'Matrix', url: 'https://example.test/m.csv' }) },
    'DELETE /api/v1/datasets/:name/resources/:resourceId': { expect: orgEditors(204, 401), params: { name: () => open, resourceId: freshResource } },
    'GET /api/v1/licences': { expect: all(200) },
    'GET /api/v1/groups': { expect: all(200) },
    'POST /api/v1/groups': { expect: superOnly(201, 401), body: () => ({ name: `group-${randomBytes(3).toString('hex')}`, titleEn: 'G', titleFr: 'G' }) },
    'PUT /api/v1/groups/:name': { expect: superOnly(200, 401), params: { name: 'matrix-group' }, body: () => ({ titleEn: 'Matrix', titleFr: 'Matrice' }) },
  },
};
