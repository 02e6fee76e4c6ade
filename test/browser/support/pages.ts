import { catalogueVisits } from './pages-catalogue.js';
import { servicesVisits } from './pages-services.js';
import { search, sentEmpty, shown, submitEmpty, submitForged, submitWith, type Visit } from './visits.js';

/**
 * The accessibility sweep's plan: for EVERY page route of the app (GET under `/:locale`), who
 * looks at it, with which concrete parameters, and in which states (as first shown, after a form
 * is sent empty or wrong, after an action). The sweep fails when the app has a page route that is
 * not in this table, so a new page cannot skip the check: add its row here (the catalogue's rows
 * are in pages-catalogue.ts, the services module's in pages-services.ts).
 */

export const pageVisits: Record<string, Visit[]> = {
  '/:locale': [
    { as: 'anonymous', path: () => '/', state: shown },
    { as: 'superadmin', path: () => '/', state: 'signed in, with the admin link' },
    { as: 'anonymous', path: () => '/no-such-page', state: 'page not found', status: 404 },
  ],
  '/:locale/accessibility': [{ as: 'anonymous', path: () => '/accessibility', state: shown }],
  '/:locale/privacy': [{ as: 'anonymous', path: () => '/privacy', state: shown }],
  '/:locale/developers': [{ as: 'anonymous', path: () => '/developers', state: shown }],

  // Getting in
  '/:locale/sign-in': [
    { as: 'anonymous', path: () => '/sign-in', state: shown },
    { as: 'anonymous', path: () => '/sign-in?notice=signedOut', state: 'with a notice' },
    {
      as: 'anonymous',
      path: () => '/sign-in',
      state: sentEmpty,
      act: submitEmpty('/sign-in'),
      status: 422,
      errorSummary: true,
    },
    {
      as: 'anonymous',
      path: () => '/sign-in',
      state: 'wrong password',
      act: submitWith('/sign-in', {
        '#email': 'rosalie@example.test',
        '#password': 'not the right password',
      }),
      status: 422,
      errorSummary: true,
    },
  ],
  '/:locale/register': [
    { as: 'anonymous', path: () => '/register', state: shown },
    {
      as: 'anonymous',
      path: () => '/register',
      state: sentEmpty,
      act: submitEmpty('/register'),
      status: 422,
      errorSummary: true,
    },
    {
      as: 'anonymous',
      path: () => '/register',
      state: 'bad email and short password',
      act: submitWith('/register', {
        '#displayName': 'Someone',
        '#email': 'not-an-email',
        '#password': 'short',
      }),
      status: 422,
      errorSummary: true,
    },
  ],
  '/:locale/register/check-email': [{ as: 'anonymous', path: () => '/register/check-email', state: shown }],
  '/:locale/verify-email': [
    {
      as: 'anonymous',
      path: (f) => `/verify-email${f.links.verifyEmail}`,
      state: 'with a live emailed link',
    },
    { as: 'anonymous', path: () => '/verify-email?token=not-a-real-token', state: 'with a dead link' },
    {
      as: 'anonymous',
      path: (f) => `/verify-email${f.links.verifyEmail}`,
      state: 'confirm sent with a forged token',
      act: submitForged('/verify-email', 'token', 'forged-token'),
      status: 422,
      errorSummary: true,
    },
  ],
  '/:locale/verify-email/resend': [
    { as: 'anonymous', path: () => '/verify-email/resend', state: shown },
    {
      as: 'anonymous',
      path: () => '/verify-email/resend',
      state: sentEmpty,
      act: submitEmpty('/verify-email/resend'),
      status: 422,
      errorSummary: true,
    },
  ],
  '/:locale/password-reset': [
    { as: 'anonymous', path: () => '/password-reset', state: shown },
    {
      as: 'anonymous',
      path: () => '/password-reset',
      state: sentEmpty,
      act: submitEmpty('/password-reset'),
      status: 422,
      errorSummary: true,
    },
  ],
  '/:locale/password-reset/sent': [{ as: 'anonymous', path: () => '/password-reset/sent', state: shown }],
  '/:locale/password-reset/new': [
    {
      as: 'anonymous',
      path: (f) => `/password-reset/new${f.links.passwordReset}`,
      state: 'with a live emailed link',
    },
    { as: 'anonymous', path: () => '/password-reset/new?token=not-a-real-token', state: 'with a dead link' },
    {
      as: 'anonymous',
      path: (f) => `/password-reset/new${f.links.passwordReset}`,
      state: sentEmpty,
      act: submitEmpty('/password-reset/new'),
      status: 422,
      errorSummary: true,
    },
    {
      as: 'anonymous',
      path: (f) => `/password-reset/new${f.links.passwordReset}`,
      state: 'passwords that do not match',
      act: submitWith('/password-reset/new', {
        '#password': 'one long new password',
        '#confirmPassword': 'another long password',
      }),
      status: 422,
      errorSummary: true,
    },
  ],

  // The signed-in person's own pages
  '/:locale/account': [
    { as: 'resident', path: () => '/account', state: 'no organizations' },
    { as: 'orgAdmin', path: () => '/account?notice=saved', state: 'with organizations and a notice' },
  ],
  '/:locale/account/details': [
    { as: 'resident', path: () => '/account/details', state: shown },
    {
      as: 'resident',
      path: () => '/account/details',
      state: 'name cleared',
      act: submitEmpty('/account/details'),
      status: 422,
      errorSummary: true,
    },
  ],
  '/:locale/account/password': [
    { as: 'resident', path: () => '/account/password', state: shown },
    {
      as: 'resident',
      path: () => '/account/password',
      state: sentEmpty,
      act: submitEmpty('/account/password'),
      status: 422,
      errorSummary: true,
    },
  ],
  '/:locale/account/deactivate': [
    { as: 'resident', path: () => '/account/deactivate', state: shown },
    {
      as: 'resident',
      path: () => '/account/deactivate',
      state: sentEmpty,
      act: submitEmpty('/account/deactivate'),
      status: 422,
      errorSummary: true,
    },
  ],
  '/:locale/account/tokens': [
    { as: 'resident', path: () => '/account/tokens', state: 'with a token' },
    {
      as: 'resident',
      path: () => '/account/tokens',
      state: sentEmpty,
      act: submitEmpty('/account/tokens'),
      status: 422,
      errorSummary: true,
    },
    {
      as: 'resident',
      path: () => '/account/tokens',
      state: 'token created (the secret, shown once)',
      act: async (page, f) => {
        await page.locator('#name').fill('Read-only reports');
        await page.locator('input[name=scopes][value="identity:read"]').check();
        return submitWith('/account/tokens')(page, f);
      },
      status: 201,
    },
  ],
  '/:locale/account/activity': [
    { as: 'resident', path: () => '/account/activity', state: 'with sign-ins and reads' },
  ],

  // Organizations
  '/:locale/organizations': [
    { as: 'anonymous', path: () => '/organizations', state: shown },
    {
      as: 'anonymous',
      path: () => '/organizations',
      state: 'searched',
      act: search({ '#q': 'testing' }, /^(Search|Rechercher)$/),
    },
    { as: 'superadmin', path: () => '/organizations', state: 'with the create button' },
  ],
  '/:locale/organizations/new': [
    { as: 'superadmin', path: () => '/organizations/new', state: shown },
    {
      as: 'superadmin',
      path: () => '/organizations/new',
      state: sentEmpty,
      act: submitEmpty('/organizations/new'),
      status: 422,
      errorSummary: true,
    },
  ],
  '/:locale/organizations/:slug': [
    { as: 'anonymous', path: (f) => `/organizations/${f.organization.slug}`, state: 'public view' },
    {
      as: 'orgAdmin',
      path: (f) => `/organizations/${f.organization.slug}?notice=saved`,
      state: 'its admin, with a notice',
    },
    {
      as: 'anonymous',
      path: () => '/organizations/no-such-organization',
      state: 'unknown organization',
      status: 404,
    },
  ],
  '/:locale/organizations/:slug/edit': [
    { as: 'orgAdmin', path: (f) => `/organizations/${f.organization.slug}/edit`, state: 'its admin' },
    {
      as: 'superadmin',
      path: (f) => `/organizations/${f.organization.slug}/edit`,
      state: 'superadmin (may move it)',
    },
    {
      as: 'orgAdmin',
      path: (f) => `/organizations/${f.organization.slug}/edit`,
      state: 'names cleared',
      act: submitEmpty('/edit'),
      status: 422,
      errorSummary: true,
    },
  ],
  '/:locale/organizations/:slug/members': [
    {
      as: 'orgAdmin',
      path: (f) => `/organizations/${f.organization.slug}/members`,
      state: 'members and invitations',
    },
    {
      as: 'resident',
      path: (f) => `/organizations/${f.organization.slug}/members`,
      state: 'someone not allowed',
      status: 403,
    },
  ],
  '/:locale/organizations/:slug/members/invite': [
    { as: 'orgAdmin', path: (f) => `/organizations/${f.organization.slug}/members/invite`, state: shown },
    {
      as: 'orgAdmin',
      path: (f) => `/organizations/${f.organization.slug}/members/invite`,
      state: sentEmpty,
      act: submitEmpty('/members/invite'),
      status: 422,
      errorSummary: true,
    },
  ],
  '/:locale/organizations/:slug/members/:accountId': [
    {
      as: 'orgAdmin',
      path: (f) => `/organizations/${f.organization.slug}/members/${f.accounts.member.id}`,
      state: shown,
    },
    {
      as: 'orgAdmin',
      path: (f) => `/organizations/${f.organization.slug}/members/${f.accounts.member.id}`,
      state: 'every role unticked',
      act: (page, f) => submitEmpty(`/members/${f.accounts.member.id}`)(page, f),
      status: 422,
      errorSummary: true,
    },
  ],
  '/:locale/invitations/accept': [
    {
      as: 'anonymous',
      path: (f) => `/invitations/accept${f.links.invitationNew}`,
      state: 'new person: create an account',
    },
    {
      as: 'anonymous',
      path: (f) => `/invitations/accept${f.links.invitationNew}`,
      state: 'new person, form sent empty',
      act: submitEmpty('/invitations/accept?'),
      status: 422,
      errorSummary: true,
    },
    {
      as: 'anonymous',
      path: (f) => `/invitations/accept${f.links.invitationResident}`,
      state: 'existing account: sign in first',
    },
    {
      as: 'resident',
      path: (f) => `/invitations/accept${f.links.invitationResident}`,
      state: 'signed in as the invited person: join',
    },
    {
      as: 'orgAdmin',
      path: (f) => `/invitations/accept${f.links.invitationResident}`,
      state: 'signed in as someone else',
    },
    {
      as: 'anonymous',
      path: () => '/invitations/accept?token=not-a-real-token',
      state: 'dead link',
      status: 404,
    },
  ],

  // Background jobs anyone can follow
  '/:locale/jobs/:id': [
    { as: 'resident', path: (f) => `/jobs/${f.jobId}`, state: 'a finished job the resident started' },
  ],

  // Administration (superadmin)
  '/:locale/admin': [
    { as: 'superadmin', path: () => '/admin', state: shown },
    { as: 'resident', path: () => '/admin', state: 'someone not allowed', status: 403 },
  ],
  '/:locale/admin/audit': [
    { as: 'superadmin', path: () => '/admin/audit', state: 'entries' },
    { as: 'superadmin', path: () => '/admin/audit?actor=not-a-uuid', state: 'bad filter', status: 422 },
  ],
  '/:locale/admin/audit/verification': [
    { as: 'superadmin', path: () => '/admin/audit/verification', state: 'chain verified' },
  ],
  '/:locale/admin/accounts': [
    { as: 'superadmin', path: () => '/admin/accounts', state: shown },
    {
      as: 'superadmin',
      path: () => '/admin/accounts',
      state: 'searched',
      act: search({ '#q': 'rosalie' }, /^(Search|Rechercher)$/),
    },
  ],
  '/:locale/admin/accounts/:id': [
    { as: 'superadmin', path: (f) => `/admin/accounts/${f.accounts.resident.id}`, state: 'a resident' },
    {
      as: 'superadmin',
      path: (f) => `/admin/accounts/${f.accounts.orgAdmin.id}?notice=saved`,
      state: 'an organization admin, with a notice',
    },
  ],
  '/:locale/admin/jobs': [
    { as: 'superadmin', path: () => '/admin/jobs', state: shown },
    { as: 'superadmin', path: () => '/admin/jobs?status=succeeded', state: 'filtered' },
  ],
  '/:locale/admin/jobs/:id': [
    { as: 'superadmin', path: (f) => `/admin/jobs/${f.jobId}`, state: 'a finished job' },
  ],
  '/:locale/admin/outbox': [{ as: 'superadmin', path: () => '/admin/outbox', state: 'sent messages' }],
  '/:locale/admin/outbox/:id': [
    { as: 'superadmin', path: (f) => `/admin/outbox/${f.outboxId}`, state: 'one message' },
  ],

  ...catalogueVisits,
  ...servicesVisits,
};
