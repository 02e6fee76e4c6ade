import { desc } from 'drizzle-orm';
import type { BrowserContext } from 'playwright-core';
import { outbox } from '../../../src/kernel/notify/index.js';
import {
  makeAccount,
  makeOrganization,
  type TestAccount,
} from '../../../src/modules/identity/test/factories.js';
import { lastEmail, linkIn } from '../../support/app.js';
import { TestClient } from '../../support/client.js';
import { sessionCookie } from '../../../src/kernel/http/session-cookie.js';
import type { BrowserServer } from './server.js';
import { seedCatalogue, type CatalogueFixture } from './catalogue.js';
import { seedServices, type ServicesFixture } from './services.js';

/** Who looks at a page. Each has its own browser context (its own session cookie). */
export type ActorName = 'anonymous' | 'resident' | 'orgAdmin' | 'superadmin';
export const actorNames: ActorName[] = ['anonymous', 'resident', 'orgAdmin', 'superadmin'];

/** Everything the pages need to show real content: an organization, people in it, live links, a job, a message. */
export interface Fixture {
  organization: { id: string; slug: string };
  accounts: { resident: TestAccount; orgAdmin: TestAccount; superadmin: TestAccount; member: TestAccount };
  /** `?token=…` query strings of real emailed links. */
  links: {
    verifyEmail: string;
    passwordReset: string;
    /** An invitation for an address with no account (the page offers to create one). */
    invitationNew: string;
    /** An invitation for the resident's address (the page offers to join, or to sign in first). */
    invitationResident: string;
  };
  /** A job started by the resident, already run. */
  jobId: string;
  outboxId: string;
  /** The organization's catalogue: datasets (one with a loaded CSV), a group, a request, a standard, a harvest source. */
  catalogue: CatalogueFixture;
  /** The organization's services: one with events, costs, feedback, a standard, an improvement and an assessment; one with reported counts. */
  services: ServicesFixture;
}

function queryOf(link: string): string {
  return new URL(link).search;
}

async function emailedLink(server: BrowserServer, to: string, kind: string): Promise<string> {
  const message = await lastEmail(server.database, to);
  if (message?.kind !== kind)
    throw new Error(`Expected a "${kind}" email to ${to}, found ${message?.kind ?? 'none'}`);
  return linkIn(message.body);
}

/**
 * Seeds the data through the factories and the app's own forms (over `inject`), the way people
 * would have created it: an invitation sent by an organization admin, a registration waiting for
 * confirmation, a password reset requested, an API token, a background job run to completion.
 */
export async function seedFixture(server: BrowserServer): Promise<Fixture> {
  const { app } = server;
  await makeOrganization(app, 'agency-of-examples');
  const organization = await makeOrganization(app, 'ministry-of-testing');
  const [resident, orgAdmin, superadmin, member] = await Promise.all([
    makeAccount(app, { name: 'Rosalie Resident', email: 'rosalie@example.test' }),
    makeAccount(app, {
      name: 'Omar Admin',
      email: 'omar@example.test',
      roles: [[organization.id, ['admin']]],
    }),
    makeAccount(app, { name: 'Sam Superadmin', email: 'sam@example.test', superadmin: true }),
    makeAccount(app, {
      name: 'Mei Member',
      email: 'mei@example.test',
      roles: [[organization.id, ['viewer']]],
    }),
  ]);

  const admin = new TestClient(app);
  await admin.signIn(orgAdmin.email, orgAdmin.password);
  const invitePage = `/en/organizations/${organization.slug}/members/invite`;
  const invitations: string[] = [];
  for (const email of ['newcomer@example.test', resident.email]) {
    const sent = await admin.post(invitePage, { email, roles: ['viewer'] }, { csrfFrom: invitePage });
    if (sent.statusCode !== 303) throw new Error(`Invitation to ${email} failed: ${sent.statusCode}`);
    invitations.push(queryOf(await emailedLink(server, email, 'identity.emails.invitation')));
  }

  const visitor = new TestClient(app);
  const registered = await visitor.post(
    '/en/register',
    {
      displayName: 'Pat Pending',
      email: 'pat@example.test',
      password: 'a long enough password',
      locale: 'en',
    },
    { csrfFrom: '/en/register' },
  );
  if (registered.statusCode !== 303) throw new Error(`Registration failed: ${registered.statusCode}`);
  const reset = await visitor.post(
    '/en/password-reset',
    { email: resident.email },
    { csrfFrom: '/en/password-reset' },
  );
  if (reset.statusCode !== 303) throw new Error(`Password reset request failed: ${reset.statusCode}`);

  const residentClient = new TestClient(app);
  await residentClient.signIn(resident.email, resident.password);
  const token = await residentClient.api('POST', '/api/v1/me/tokens', {
    name: 'Spreadsheet sync',
    scopes: ['identity:read'],
    days: 30,
  });
  if (token.statusCode !== 201) throw new Error(`Token creation failed: ${token.statusCode} ${token.body}`);

  const links = {
    verifyEmail: queryOf(await emailedLink(server, 'pat@example.test', 'identity.emails.verify')),
    passwordReset: queryOf(await emailedLink(server, resident.email, 'identity.emails.reset')),
    invitationNew: invitations[0]!,
    invitationResident: invitations[1]!,
  };

  const catalogue = await seedCatalogue(app, organization.id);
  const services = await seedServices(app, organization.id);

  // A job the resident started, run to the end, and the queued emails delivered (log transport).
  const jobs = app.kernel.jobs;
  const jobId = await jobs.enqueue(
    app.kernel.database.db,
    'kernel.purge-expired',
    {},
    { ownerId: resident.id },
  );
  await jobs.runUntilIdle();
  const [message] = await server.database.db
    .select({ id: outbox.id })
    .from(outbox)
    .orderBy(desc(outbox.createdAt))
    .limit(1);

  return {
    organization: { id: organization.id, slug: organization.slug },
    accounts: { resident, orgAdmin, superadmin, member },
    links,
    jobId,
    outboxId: message!.id,
    catalogue,
    services,
  };
}

/** Signs `account` in (through the real form, over `inject`) and gives the browser context its session cookie. */
export async function signInContext(
  server: BrowserServer,
  context: BrowserContext,
  account: TestAccount,
): Promise<void> {
  const client = new TestClient(server.app);
  await client.signIn(account.email, account.password);
  const name = sessionCookie(server.config).name;
  const value = client.cookies.get(name);
  if (!value) throw new Error(`No session cookie for ${account.email}`);
  await context.addCookies([{ name, value, url: server.baseUrl, httpOnly: true, sameSite: 'Lax' }]);
}
