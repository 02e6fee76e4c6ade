import { record, type ActionContext, type AuditEvent } from '../../../kernel/audit/index.js';
import { isSignedIn } from '../../../kernel/auth/actor.js';
import { authorize, can } from '../../../kernel/auth/policy.js';
import { hitRateLimit } from '../../../kernel/auth/throttle.js';
import { Conflict, InputError, NotAllowed, NotFound, type FieldError } from '../../../kernel/errors/index.js';
import type { Bilingual, Locale } from '../../../kernel/i18n/index.js';
import type { Organization } from '../../identity/index.js';
import { catalogueEvents } from '../audit.js';
import { findDataset } from '../data/datasets.js';
import {
  addFollower,
  addVote,
  countByStatus,
  findRequest,
  followersOf,
  hasVoted,
  insertRequest,
  isFollowing,
  listRequests,
  removeFollower,
  removeVote,
  updateRequest,
  type RequestRow,
} from '../data/requests.js';
import { requestAnswerInput, requestInput } from '../inputs/request.input.js';
import { cataloguePermissions } from '../policies/index.js';
import { requestStatuses, type RequestStatus } from '../schema.js';
import type { CatalogueDeps } from './datasets.js';

/**
 * Audit actions of dataset requests. `created` and `statusChanged` are in the catalogue's audit
 * catalogue; the others are described by `catalogue.events.request.*` and
 * `catalogue.events.personal_data.read`.
 */
export const requestEvents = {
  created: catalogueEvents.requestCreated,
  statusChanged: catalogueEvents.requestStatusChanged,
  voted: 'catalogue.request.voted',
  voteWithdrawn: 'catalogue.request.vote_withdrawn',
  followed: 'catalogue.request.followed',
  unfollowed: 'catalogue.request.unfollowed',
  personalDataRead: 'catalogue.personal_data.read',
} as const;

/** Why a follower's email address is read: to tell them what they asked to hear about. */
export const followerPurpose = 'catalogue.requests.purpose.statusEmail';

/** Each status change has its own email (subject and body in the follower's language). */
const statusEmails: Record<RequestStatus, string> = {
  received: 'catalogue.requests.emails.received',
  planned: 'catalogue.requests.emails.planned',
  published: 'catalogue.requests.emails.published',
  declined: 'catalogue.requests.emails.declined',
};

/** New requests allowed per hour: per address for anonymous people, per account otherwise. */
export const requestRateLimits = { anonymousPerHour: 5, accountPerHour: 20 } as const;

/** Statuses in which people may still vote: once published or declined, the question is settled. */
const openStatuses: readonly RequestStatus[] = ['received', 'planned'];

/** A request as pages and the API show it (who asked is never shown). */
export interface RequestView {
  id: string;
  title: string;
  description: string;
  /** The language the request is written in (pages mark it with `lang`). */
  locale: Locale;
  status: RequestStatus;
  /** Staff's note in both languages; the reason when declined. */
  statusNote: Bilingual;
  /** The organization suggested as holding the data. */
  organization: { id: string; slug: string; name: Bilingual } | null;
  /** The published dataset that answers it. */
  dataset: { id: string; name: string; title: Bilingual } | null;
  votes: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A request with what the person looking at it may do. */
export interface RequestDetail {
  request: RequestView;
  you: { signedIn: boolean; voted: boolean; following: boolean; canVote: boolean; canAnswer: boolean };
}

/** A request as shown, from its row and what it refers to (looked up beforehand). */
function toView(r: RequestRow, organization: Organization | null | undefined, dataset: RequestView['dataset'] | undefined): RequestView {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    locale: r.locale,
    status: r.status,
    statusNote: r.statusNote,
    organization: organization ? { id: organization.id, slug: organization.slug, name: organization.name } : null,
    dataset: dataset ?? null,
    votes: r.votes,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

async function views(deps: CatalogueDeps, ctx: ActionContext, rows: RequestRow[]): Promise<RequestView[]> {
  const orgIds = [...new Set(rows.map((r) => r.organizationId).filter((id): id is string => !!id))];
  const organizations = orgIds.length ? await deps.identity.organizationsByIds(orgIds) : [];
  const datasets = new Map<string, RequestView['dataset']>();
  for (const id of new Set(rows.map((r) => r.datasetId).filter((id): id is string => !!id))) {
    const dataset = await findDataset(deps.kernel.database.db, id);
    // A dataset taken back to draft (or deleted) since is not shown to people who may not see it.
    if (dataset && can(ctx.actor, cataloguePermissions.viewDataset, dataset)) datasets.set(id, { id: dataset.id, name: dataset.name, title: dataset.title });
  }
  return rows.map((r) => toView(r, organizations.find((o) => o.id === r.organizationId), r.datasetId ? datasets.get(r.datasetId) : undefined));
}

async function view(deps: CatalogueDeps, ctx: ActionContext, row: RequestRow): Promise<RequestView> {
  return (await views(deps, ctx, [row]))[0]!;
}

async function existing(deps: CatalogueDeps, id: string): Promise<RequestRow> {
  const row = await findRequest(deps.kernel.database.db, id);
  if (!row) throw new NotFound();
  return row;
}

/** Requests ranked by demand (votes, then the oldest first), optionally by status. Public. */
export async function listDatasetRequests(
  deps: CatalogueDeps,
  ctx: ActionContext,
  filter: { statuses?: RequestStatus[]; limit: number; offset: number },
): Promise<{ items: RequestView[]; total: number; counts: Record<RequestStatus, number> }> {
  const db = deps.kernel.database.db;
  const statuses = filter.statuses?.filter((s) => requestStatuses.includes(s));
  const [{ rows, total }, counted] = await Promise.all([
    listRequests(db, { ...(statuses?.length ? { statuses } : {}), limit: Math.min(100, Math.max(1, filter.limit)), offset: Math.max(0, filter.offset) }),
    countByStatus(db),
  ]);
  const counts = Object.fromEntries(requestStatuses.map((s) => [s, counted[s] ?? 0])) as Record<RequestStatus, number>;
  return { items: await views(deps, ctx, rows), total, counts };
}

/** One request, with whether the person voted, follows it and may answer it. Public. */
export async function getDatasetRequest(deps: CatalogueDeps, ctx: ActionContext, id: string): Promise<RequestDetail> {
  const row = await existing(deps, id);
  const db = deps.kernel.database.db;
  const accountId = ctx.actor.accountId;
  const signedIn = isSignedIn(ctx.actor) && !!accountId;
  const [voted, following] = signedIn ? await Promise.all([hasVoted(db, row.id, accountId), isFollowing(db, row.id, accountId)]) : [false, false];
  return {
    request: await view(deps, ctx, row),
    you: {
      signedIn,
      voted,
      following,
      canVote: signedIn && openStatuses.includes(row.status) && can(ctx.actor, cataloguePermissions.voteOnRequest, undefined),
      canAnswer: can(ctx.actor, cataloguePermissions.answerRequest, row),
    },
  };
}

/** Organizations a request may suggest (the form offers them). */
export async function requestChoices(deps: CatalogueDeps): Promise<Organization[]> {
  return deps.identity.listOrganizations();
}

/**
 * Anyone asks for data that is not published. Anonymous people are limited per address, signed-in
 * people per account, so the list cannot be flooded; a signed-in requester may follow the request.
 */
export async function createDatasetRequest(deps: CatalogueDeps, ctx: ActionContext, raw: unknown): Promise<RequestView> {
  authorize(ctx.actor, cataloguePermissions.requestDataset, undefined);
  const input = requestInput.parse(raw);
  const organization = input.organizationId ? await deps.identity.getOrganization(input.organizationId) : null;
  if (input.organizationId && !organization) throw InputError.field('organizationId', 'invalid', 'catalogue.requests.errors.organizationId.invalid');
  const db = deps.kernel.database.db;
  const accountId = isSignedIn(ctx.actor) ? ctx.actor.accountId : null;
  // Counted only for requests that would be saved, so correcting a typo costs nothing.
  if (accountId) await hitRateLimit(db, `catalogue.request:account:${accountId}`, requestRateLimits.accountPerHour, 3600);
  else if (ctx.client?.ip) await hitRateLimit(db, `catalogue.request:address:${ctx.client.ip}`, requestRateLimits.anonymousPerHour, 3600);
  const locale: Locale = input.locale ?? ctx.actor.locale ?? 'en';
  return deps.kernel.database.transaction(async (tx) => {
    const row = await insertRequest(tx, { title: input.title, description: input.description, locale, requesterId: accountId, organizationId: input.organizationId ?? null });
    if (accountId && input.follow) await addFollower(tx, row.id, accountId);
    await record(tx, ctx, { action: requestEvents.created, organizationId: row.organizationId, targetType: 'dataset_request', targetId: row.id, details: { follow: !!(accountId && input.follow) } });
    return toView(row, organization, null);
  });
}

/** What a vote or a follow leaves: the request's count and the person's state. */
export interface SupportState {
  votes: number;
  voted: boolean;
  following: boolean;
}

async function supportState(deps: CatalogueDeps, requestId: string, accountId: string): Promise<SupportState> {
  const db = deps.kernel.database.db;
  const [row, voted, following] = await Promise.all([findRequest(db, requestId), hasVoted(db, requestId, accountId), isFollowing(db, requestId, accountId)]);
  return { votes: row?.votes ?? 0, voted, following };
}

/** Votes and follows belong to a person: the system actor (CLI, jobs) has none to give. */
function personOf(ctx: ActionContext): string {
  if (!ctx.actor.accountId) throw new NotAllowed();
  return ctx.actor.accountId;
}

/** A signed-in person supports a request, once; voting again changes nothing. */
export async function voteForRequest(deps: CatalogueDeps, ctx: ActionContext, id: string): Promise<SupportState> {
  authorize(ctx.actor, cataloguePermissions.voteOnRequest, undefined);
  const row = await existing(deps, id);
  if (!openStatuses.includes(row.status)) throw new Conflict('catalogue.requests.errors.closed');
  const accountId = personOf(ctx);
  await deps.kernel.database.transaction(async (tx) => {
    if (await addVote(tx, row.id, accountId)) {
      await record(tx, ctx, { action: requestEvents.voted, organizationId: row.organizationId, targetType: 'dataset_request', targetId: row.id });
    }
  });
  return supportState(deps, row.id, accountId);
}

/** A person takes their vote back (allowed whatever the status). */
export async function withdrawVote(deps: CatalogueDeps, ctx: ActionContext, id: string): Promise<SupportState> {
  authorize(ctx.actor, cataloguePermissions.voteOnRequest, undefined);
  const row = await existing(deps, id);
  const accountId = personOf(ctx);
  await deps.kernel.database.transaction(async (tx) => {
    if (await removeVote(tx, row.id, accountId)) {
      await record(tx, ctx, { action: requestEvents.voteWithdrawn, organizationId: row.organizationId, targetType: 'dataset_request', targetId: row.id });
    }
  });
  return supportState(deps, row.id, accountId);
}

/** A signed-in person asks to be emailed when the request's status changes. */
export async function followRequest(deps: CatalogueDeps, ctx: ActionContext, id: string): Promise<SupportState> {
  authorize(ctx.actor, cataloguePermissions.voteOnRequest, undefined);
  const row = await existing(deps, id);
  const accountId = personOf(ctx);
  await deps.kernel.database.transaction(async (tx) => {
    if (await addFollower(tx, row.id, accountId)) {
      await record(tx, ctx, { action: requestEvents.followed, organizationId: row.organizationId, targetType: 'dataset_request', targetId: row.id });
    }
  });
  return supportState(deps, row.id, accountId);
}

export async function unfollowRequest(deps: CatalogueDeps, ctx: ActionContext, id: string): Promise<SupportState> {
  authorize(ctx.actor, cataloguePermissions.voteOnRequest, undefined);
  const row = await existing(deps, id);
  const accountId = personOf(ctx);
  await deps.kernel.database.transaction(async (tx) => {
    if (await removeFollower(tx, row.id, accountId)) {
      await record(tx, ctx, { action: requestEvents.unfollowed, organizationId: row.organizationId, targetType: 'dataset_request', targetId: row.id });
    }
  });
  return supportState(deps, row.id, accountId);
}

/** A request for its answer form, refused to those who may not answer it; superadmins may also reassign it. */
export async function prepareAnswer(deps: CatalogueDeps, ctx: ActionContext, id: string): Promise<RequestDetail & { organizations: Organization[] }> {
  const row = await existing(deps, id);
  authorize(ctx.actor, cataloguePermissions.answerRequest, row);
  const detail = await getDatasetRequest(deps, ctx, id);
  return { ...detail, organizations: ctx.actor.superadmin ? await deps.identity.listOrganizations() : [] };
}

function bilingual(en: string | undefined, fr: string | undefined): Bilingual {
  return { ...(en ? { en } : {}), ...(fr ? { fr } : {}) };
}

/**
 * Staff (editors of the suggested organization, or superadmins) set a request's status. Published
 * needs a published dataset; declined needs the reason in both languages. When the status changes,
 * everyone who follows the request is emailed in their own language.
 */
export async function answerDatasetRequest(deps: CatalogueDeps, ctx: ActionContext, id: string, raw: unknown): Promise<RequestView> {
  const current = await existing(deps, id);
  authorize(ctx.actor, cataloguePermissions.answerRequest, current);
  const input = requestAnswerInput.parse(raw);
  const db = deps.kernel.database.db;
  const problems: FieldError[] = [];
  let datasetId: string | null = null;
  if (input.status === 'published') {
    const dataset = input.dataset ? await findDataset(db, input.dataset) : null;
    if (!input.dataset) problems.push({ field: 'dataset', rule: 'required', messageKey: 'catalogue.requests.errors.dataset.required' });
    else if (!dataset || dataset.state !== 'published') problems.push({ field: 'dataset', rule: 'invalid', messageKey: 'catalogue.requests.errors.dataset.invalid' });
    else datasetId = dataset.id;
  }
  if (input.status === 'declined') {
    if (!input.noteEn) problems.push({ field: 'noteEn', rule: 'required', messageKey: 'catalogue.requests.errors.noteEn.required' });
    if (!input.noteFr) problems.push({ field: 'noteFr', rule: 'required', messageKey: 'catalogue.requests.errors.noteFr.required' });
  }
  let organizationId = current.organizationId;
  if (input.organizationId && input.organizationId !== current.organizationId) {
    // Moving a request needs the right to answer it in the organization it goes to, too.
    authorize(ctx.actor, cataloguePermissions.answerRequest, { organizationId: input.organizationId });
    if (!(await deps.identity.getOrganization(input.organizationId))) problems.push({ field: 'organizationId', rule: 'invalid', messageKey: 'catalogue.requests.errors.organizationId.invalid' });
    organizationId = input.organizationId;
  }
  if (problems.length) throw new InputError(problems);

  const changed = input.status !== current.status;
  // Everything read from outside this module is read before the transaction: inside it, only its
  // own connection may be used (PGlite has one connection, which the transaction holds).
  const followers = changed ? (await followersOf(db, current.id)).filter((accountId) => accountId !== ctx.actor.accountId) : [];
  const profiles = (await Promise.all(followers.map((accountId) => deps.identity.accountDirectory.profile(accountId)))).filter((p) => p?.active);
  const note = bilingual(input.noteEn, input.noteFr);
  const dataset = datasetId ? await findDataset(db, datasetId) : null;
  const organization = organizationId ? await deps.identity.getOrganization(organizationId) : null;

  return deps.kernel.database.transaction(async (tx) => {
    const row = await updateRequest(tx, current.id, { status: input.status, statusNote: note, datasetId, organizationId });
    const events: AuditEvent[] = [
      {
        action: requestEvents.statusChanged,
        organizationId: row.organizationId,
        targetType: 'dataset_request',
        targetId: row.id,
        details: { from: current.status, to: row.status, ...(dataset ? { dataset: dataset.name } : {}), notified: changed ? profiles.length : 0 },
      },
    ];
    for (const profile of changed ? profiles : []) {
      const locale = profile!.locale;
      const other = locale === 'en' ? 'fr' : 'en';
      await deps.kernel.notify.email(tx, {
        to: profile!.email,
        locale,
        key: statusEmails[row.status],
        params: {
          title: row.title,
          note: note[locale] ?? note[other] ?? '',
          link: `${deps.kernel.config.publicUrl}/${locale}/dataset-requests/${row.id}`,
          datasetLink: dataset ? `${deps.kernel.config.publicUrl}/${locale}/datasets/${dataset.name}` : '',
        },
      });
      events.push({
        action: requestEvents.personalDataRead,
        organizationId: row.organizationId,
        targetType: 'account',
        targetId: profile!.accountId,
        subjectId: profile!.accountId,
        purpose: followerPurpose,
        details: { fields: ['email', 'locale'], request: row.id },
      });
    }
    await record(tx, ctx, ...events);
    return toView(row, organization, dataset ? { id: dataset.id, name: dataset.name, title: dataset.title } : null);
  });
}
