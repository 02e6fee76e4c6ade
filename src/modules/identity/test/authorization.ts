import { randomBytes, randomUUID } from 'node:crypto';
import { issueToken } from '../../../kernel/auth/tokens.js';
import { all, orgAdmins, signedIn, superOnly, type ActorName, type MatrixPart, type World } from '../../../../test/support/authorization.js';
import { createInvitation } from '../data/invitations.js';
import { setRoles } from '../data/memberships.js';
import { makeAccount } from './factories.js';

/** The identity module's routes in the authorization matrix. */
const freshMember = async (_a: ActorName, w: World) => {
  const m = await makeAccount(w.t.app);
  await setRoles(w.t.database.db, m.id, w.orgA.id, ['viewer'], null);
  return m.id;
};
const freshInvitation = async (_a: ActorName, w: World) =>
  (await createInvitation(w.t.database.db, { organizationId: w.orgA.id, email: `inv-${randomBytes(4).toString('hex')}@example.test`, roles: ['viewer'], invitedBy: null, ttlDays: 1 })).invitation.id;
const ownToken = async (a: ActorName, w: World) => {
  if (a === 'anonymous') return randomUUID();
  const { token } = await issueToken(w.t.database.db, { accountId: w.people[a].id, name: 'matrix', scopes: ['identity:read'], expiresAt: new Date(Date.now() + 86_400_000) });
  return token.id;
};
const slugA = { slug: 'org-a' };

export const identityPart: MatrixPart = {
  name: 'identity',
  entries: {
  // Getting in: open to everyone
  'GET /:locale/sign-in': { expect: all(200) },
  'POST /:locale/sign-in': { expect: all(422) },
  'POST /:locale/sign-out': { expect: all(303) },
  'GET /:locale/register': { expect: all(200) },
  'POST /:locale/register': { expect: all(422) },
  'GET /:locale/register/check-email': { expect: all(200) },
  'GET /:locale/verify-email': { expect: all(200) },
  'POST /:locale/verify-email': { expect: all(422) },
  'GET /:locale/verify-email/resend': { expect: all(200) },
  'POST /:locale/verify-email/resend': { expect: all(422) },
  'GET /:locale/password-reset': { expect: all(200) },
  'POST /:locale/password-reset': { expect: all(422) },
  'GET /:locale/password-reset/sent': { expect: all(200) },
  'GET /:locale/password-reset/new': { expect: all(200) },
  'POST /:locale/password-reset/new': { expect: all(422) },

  // One's own account
  'GET /:locale/account': { expect: signedIn(200, 303) },
  'GET /:locale/account/details': { expect: signedIn(200, 303) },
  'POST /:locale/account/details': { expect: signedIn(422, 303) },
  'GET /:locale/account/password': { expect: signedIn(200, 303) },
  'POST /:locale/account/password': { expect: signedIn(422, 303) },
  'GET /:locale/account/deactivate': { expect: signedIn(200, 303) },
  'POST /:locale/account/deactivate': { expect: signedIn(422, 303) },
  'GET /:locale/account/tokens': { expect: signedIn(200, 303) },
  'POST /:locale/account/tokens': { expect: signedIn(422, 303) },
  'POST /:locale/account/tokens/:id/revoke': { expect: signedIn(303, 303), params: { id: ownToken } },
  'GET /:locale/account/activity': { expect: signedIn(200, 303) },

  // Organizations and members
  'GET /:locale/organizations': { expect: all(200) },
  'GET /:locale/organizations/new': { expect: superOnly(200, 303) },
  'POST /:locale/organizations/new': { expect: superOnly(422, 303) },
  'GET /:locale/organizations/:slug': { expect: all(200), params: slugA },
  'GET /:locale/organizations/:slug/edit': { expect: orgAdmins(200, 303), params: slugA },
  'POST /:locale/organizations/:slug/edit': { expect: orgAdmins(422, 303), params: slugA },
  'GET /:locale/organizations/:slug/members': { expect: orgAdmins(200, 303), params: slugA },
  'GET /:locale/organizations/:slug/members/invite': { expect: orgAdmins(200, 303), params: slugA },
  'POST /:locale/organizations/:slug/members/invite': { expect: orgAdmins(422, 303), params: slugA },
  'GET /:locale/organizations/:slug/members/:accountId': { expect: orgAdmins(200, 303), params: { ...slugA, accountId: (_a, w) => w.member.id } },
  'POST /:locale/organizations/:slug/members/:accountId': { expect: orgAdmins(422, 303), params: { ...slugA, accountId: (_a, w) => w.member.id } },
  'POST /:locale/organizations/:slug/members/:accountId/remove': { expect: orgAdmins(303, 303), params: { ...slugA, accountId: freshMember } },
  'POST /:locale/organizations/:slug/invitations/:id/revoke': { expect: orgAdmins(303, 303), params: { ...slugA, id: freshInvitation } },
  'GET /:locale/invitations/accept': { expect: all(404) },
  'POST /:locale/invitations/accept': { expect: all(404) },

  // Accounts (superadmins)
  'GET /:locale/admin/accounts': { expect: superOnly(200, 303) },
  'GET /:locale/admin/accounts/:id': { expect: superOnly(200, 303), params: { id: (_a, w) => w.member.id } },
  'POST /:locale/admin/accounts/:id': { expect: superOnly(303, 303), params: { id: (_a, w) => w.member.id } },

  // Identity JSON API
  'POST /api/v1/accounts': { expect: all(202), body: () => ({ displayName: 'API Person', email: `api-${randomBytes(4).toString('hex')}@example.test`, password: 'a long enough password' }) },
  'POST /api/v1/email-verifications': { expect: all(422), body: () => ({ token: 'x'.repeat(43) }) },
  'POST /api/v1/email-verification-requests': { expect: all(202), body: (a) => ({ email: `resend-${a}@example.test` }) },
  'POST /api/v1/password-reset-requests': { expect: all(202), body: (a) => ({ email: `reset-${a}@example.test` }) },
  'POST /api/v1/password-resets': { expect: all(422), body: () => ({ token: 'x'.repeat(43), password: 'a long enough password', confirmPassword: 'a long enough password' }) },
  'GET /api/v1/me': { expect: signedIn(200, 401) },
  'PATCH /api/v1/me': { expect: signedIn(200, 401), body: () => ({ displayName: 'Renamed', locale: 'en' }) },
  'PUT /api/v1/me/password': { expect: signedIn(422, 401), body: () => ({ currentPassword: 'wrong', password: 'a long enough password', confirmPassword: 'a long enough password' }) },
  'POST /api/v1/me/deactivation': { expect: signedIn(422, 401), body: () => ({ currentPassword: 'wrong' }) },
  'GET /api/v1/me/activity': { expect: signedIn(200, 401) },
  'GET /api/v1/me/tokens': { expect: signedIn(200, 401) },
  'POST /api/v1/me/tokens': { expect: signedIn(201, 401), body: () => ({ name: 'matrix', scopes: ['identity:read'], days: 30 }) },
  'DELETE /api/v1/me/tokens/:id': { expect: signedIn(204, 401), params: { id: ownToken } },
  'GET /api/v1/organizations': { expect: all(200) },
  'POST /api/v1/organizations': { expect: superOnly(201, 401), body: () => ({ slug: `matrix-${randomBytes(3).toString('hex')}`, nameEn: 'Matrix', nameFr: 'Matrice', kind: 'agency' }) },
  'GET /api/v1/organizations/:slug': { expect: all(200), params: slugA },
  'PATCH /api/v1/organizations/:slug': { expect: orgAdmins(200, 401), params: slugA, body: () => ({ nameEn: 'Organization A', nameFr: 'Organisation A', kind: 'ministry' }) },
  'GET /api/v1/organizations/:slug/members': { expect: orgAdmins(200, 401), params: slugA },
  'POST /api/v1/organizations/:slug/invitations': { expect: orgAdmins(201, 401), params: slugA, body: (a) => ({ email: `invited-${a}-${randomBytes(3).toString('hex')}@example.test`, roles: ['viewer'] }) },
  'DELETE /api/v1/organizations/:slug/invitations/:id': { expect: orgAdmins(204, 401), params: { ...slugA, id: freshInvitation } },
  'PUT /api/v1/organizations/:slug/members/:accountId': { expect: orgAdmins(200, 401), params: { ...slugA, accountId: (_a, w) => w.member.id }, body: () => ({ roles: ['viewer'] }) },
  'DELETE /api/v1/organizations/:slug/members/:accountId': { expect: orgAdmins(204, 401), params: { ...slugA, accountId: freshMember } },
  'POST /api/v1/invitations/acceptance': { expect: all(404), query: `token=${'x'.repeat(43)}`, body: () => ({}) },
  'GET /api/v1/accounts': { expect: superOnly(200, 401) },
  'GET /api/v1/accounts/:id': { expect: superOnly(200, 401), params: { id: (_a, w) => w.member.id } },
  'PATCH /api/v1/accounts/:id': { expect: superOnly(200, 401), params: { id: (_a, w) => w.member.id }, body: () => ({}) },
  },
};
