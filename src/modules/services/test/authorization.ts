import { randomBytes } from 'node:crypto';
import { all, orgAdmins, orgEditors, superOnly, type MatrixPart, type Statuses } from '../../../../test/support/authorization.js';
import { receiveEvents } from '../actions/events.js';
import { giveFeedback } from '../actions/feedback.js';
import { createStandard } from '../actions/figures.js';
import { makeService, servicesDeps, sys, transaction } from './factories.js';

/**
 * The authorization matrix for the services JSON API. The inventory, KPIs, "you said, we did" and
 * assessments are public, and anyone gives feedback; organization A's viewers read its feedback
 * and funnels, its editors send events and report figures, its administrators assess.
 */
let code = '';
let standardId = '';
let feedbackId = '';

/** Members of organization A with any role (and superadmins). */
export const orgMembers = (s: number, anonymous: number): Statuses => ({ ...all(403), anonymous, viewer: s, editor: s, orgAdmin: s, superadmin: s });

const fresh = () => randomBytes(4).toString('hex');
const event = () => ({ id: `matrix-${fresh()}`, service: code, reference: `matrix-${fresh()}`, type: 'started', channel: 'online', time: new Date(Date.now() - 60_000).toISOString() });
const period = { periodStart: '2026-01-01', periodEnd: '2026-01-31' };

/** Editors and administrators of any organization (they add services to their own). */
const anyEditor = (s: number, anonymous: number): Statuses => ({ ...all(403), anonymous, editor: s, otherAdmin: s, orgAdmin: s, superadmin: s });

export const servicesApiPart: MatrixPart = {
  name: 'services-api',
  async setup(w) {
    const deps = servicesDeps(w.t.app);
    code = (await makeService(w.t.app, w.orgA.id, { code: 'MATRIX-SERVICE' })).code;
    standardId = (await createStandard(deps, sys, code, { nameEn: 'Answered in 2 days', nameFr: 'Réponse en 2 jours', type: 'timeliness', targetPercent: 90 })).id;
    await receiveEvents(deps, sys, { events: transaction(code, 'matrix-ref', new Date(Date.now() - 3_600_000).toISOString(), 'online', 'approved') });
    feedbackId = (await giveFeedback(deps, sys, code, { satisfaction: 4, ref: 'matrix-ref', comment: 'Fine.' })).feedback.id;
  },
  entries: {
    'GET /api/v1/services': { expect: all(200) },
    'POST /api/v1/services': {
      expect: orgEditors(201, 401),
      body: (_a, w) => ({ code: `M-${fresh()}`, organizationId: w.orgA.id, nameEn: 'Matrix', nameFr: 'Matrice', descriptionEn: 'A service.', descriptionFr: 'Un service.' }),
    },
    'GET /api/v1/services/:code': { expect: all(200), params: { code: () => code } },
    'PUT /api/v1/services/:code': {
      expect: orgEditors(200, 401),
      params: { code: () => code },
      body: (_a, w) => ({ code, organizationId: w.orgA.id, nameEn: 'Matrix service', nameFr: 'Service matrice', descriptionEn: 'A service.', descriptionFr: 'Un service.', channels: ['online'] }),
    },
    'POST /api/v1/service-events': { expect: orgEditors(200, 401), body: () => event() },
    'POST /api/v1/service-events/batch': { expect: orgEditors(200, 401), body: () => ({ events: [event(), event()] }) },
    'GET /api/v1/service-kpis': { expect: all(200) },
    'GET /api/v1/service-kpis.csv': { expect: all(200) },
    'GET /api/v1/organizations/:slug/service-kpis': { expect: all(200), params: { slug: (_a, w) => w.orgA.slug } },
    'GET /api/v1/organizations/:slug/service-kpis.csv': { expect: all(200), params: { slug: (_a, w) => w.orgA.slug } },
    'GET /api/v1/services/:code/kpis': { expect: all(200), params: { code: () => code } },
    'GET /api/v1/services/:code/kpis.csv': { expect: all(200), params: { code: () => code } },
    'GET /api/v1/services/:code/figures': { expect: orgEditors(200, 401), params: { code: () => code } },
    'POST /api/v1/services/:code/counts': { expect: orgEditors(201, 401), params: { code: () => code }, body: () => ({ ...period, channel: 'mail', completed: 12 }) },
    'POST /api/v1/services/:code/costs': { expect: orgEditors(204, 401), params: { code: () => code }, body: () => ({ ...period, channel: 'online', amount: 1500 }) },
    'POST /api/v1/services/:code/standards': {
      expect: orgEditors(201, 401),
      params: { code: () => code },
      body: () => ({ nameEn: 'Calls answered in 2 minutes', nameFr: 'Appels répondus en 2 minutes', type: 'access', channel: 'phone', targetPercent: 80 }),
    },
    'POST /api/v1/services/:code/standards/:id/results': {
      expect: orgEditors(204, 401),
      params: { code: () => code, id: () => standardId },
      body: () => ({ ...period, volumeMeetingTarget: 90, totalVolume: 100 }),
    },
    'GET /api/v1/services/:code/funnel': { expect: orgMembers(200, 401), params: { code: () => code } },
    'POST /api/v1/services/:code/feedback': { expect: all(201), params: { code: () => code }, body: () => ({ satisfaction: 5, achieved: 'yes' }) },
    'GET /api/v1/services/:code/feedback': { expect: orgMembers(200, 401), params: { code: () => code } },
    'PATCH /api/v1/services/:code/feedback/:id': { expect: orgEditors(200, 401), params: { code: () => code, id: () => feedbackId }, body: () => ({ tags: 'matrix', actioned: true }) },
    'GET /api/v1/services/:code/improvements': { expect: all(200), params: { code: () => code } },
    'POST /api/v1/services/:code/improvements': {
      expect: orgEditors(201, 401),
      params: { code: () => code },
      body: () => ({ youSaidEn: 'Slow.', youSaidFr: 'Lent.', weDidEn: 'Faster.', weDidFr: 'Plus rapide.' }),
    },
    'GET /api/v1/services/:code/assessment': { expect: all(200), params: { code: () => code } },
    'POST /api/v1/services/:code/assessment': { expect: orgAdmins(204, 401), params: { code: () => code }, body: () => ({ pointId: 'on-dss-01', rating: 'met', evidence: 'Research with 12 people.' }) },
  },
};

const service = { code: () => code };

/** The staff pages (forms posted empty: the form again with its errors). */
export const servicesStaffPart: MatrixPart = {
  name: 'services-staff',
  entries: {
    'GET /:locale/services/new': { expect: anyEditor(200, 303) },
    'POST /:locale/services/new': { expect: anyEditor(422, 303) },
    'GET /:locale/services/:code/edit': { expect: orgEditors(200, 303), params: service },
    'POST /:locale/services/:code/edit': { expect: orgEditors(422, 303), params: service },
    'GET /:locale/services/:code/feedback': { expect: orgMembers(200, 303), params: service },
    'POST /:locale/services/:code/feedback/:id': { expect: orgEditors(303, 303), params: { code: () => code, id: () => feedbackId } },
    'GET /:locale/services/:code/you-said-we-did/new': { expect: orgEditors(200, 303), params: service },
    'POST /:locale/services/:code/you-said-we-did/new': { expect: orgEditors(422, 303), params: service },
    'GET /:locale/services/:code/figures': { expect: orgEditors(200, 303), params: service },
    'POST /:locale/services/:code/figures/counts': { expect: orgEditors(422, 303), params: service },
    'POST /:locale/services/:code/figures/counts-file': { expect: orgEditors(422, 303), params: service },
    'POST /:locale/services/:code/figures/costs': { expect: orgEditors(422, 303), params: service },
    'POST /:locale/services/:code/figures/standards': { expect: orgEditors(422, 303), params: service },
    'POST /:locale/services/:code/figures/standards/:id/results': { expect: orgEditors(422, 303), params: { code: () => code, id: () => standardId } },
    'GET /:locale/services/:code/funnel': { expect: orgMembers(200, 303), params: service },
    'GET /:locale/services/:code/assessment/rate': { expect: orgAdmins(200, 303), params: service },
    'POST /:locale/services/:code/assessment/rate': { expect: orgAdmins(422, 303), params: service },
    'GET /:locale/admin/service-standard': { expect: superOnly(200, 303) },
    'GET /:locale/admin/service-standard/new': { expect: superOnly(200, 303) },
    'POST /:locale/admin/service-standard/new': { expect: superOnly(422, 303) },
    'GET /:locale/admin/service-standard/:id': { expect: superOnly(200, 303), params: { id: 'on-dss-01' } },
    'POST /:locale/admin/service-standard/:id': { expect: superOnly(422, 303), params: { id: 'on-dss-01' } },
    'GET /:locale/admin/page-feedback': { expect: superOnly(200, 303) },
  },
};

/** The public pages: the inventory, dashboards, methodology, feedback and page feedback. */
export const servicesPublicPart: MatrixPart = {
  name: 'services-public',
  entries: {
    'GET /:locale/services': { expect: all(200) },
    'GET /:locale/services/dashboard': { expect: all(200) },
    'GET /:locale/services/dashboard/organizations/:slug': { expect: all(200), params: { slug: (_a, w) => w.orgA.slug } },
    'GET /:locale/services/methodology': { expect: all(200) },
    'GET /:locale/services/:code': { expect: all(200), params: service },
    'GET /:locale/services/:code/performance': { expect: all(200), params: service },
    'GET /:locale/services/:code/you-said-we-did': { expect: all(200), params: service },
    'GET /:locale/services/:code/assessment': { expect: all(200), params: service },
    'GET /:locale/feedback/:code': { expect: all(200), params: service },
    'POST /:locale/feedback/:code': { expect: all(422), params: service },
    'GET /:locale/feedback/:code/thanks': { expect: all(200), params: service },
    'POST /:locale/page-feedback': { expect: all(422) },
    'GET /:locale/page-feedback': { expect: all(200) },
    'GET /:locale/page-feedback/thanks': { expect: all(200) },
  },
};
