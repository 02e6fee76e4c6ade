import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { authorize } from '../../../kernel/auth/policy.js';
import { hitRateLimit } from '../../../kernel/auth/throttle.js';
import { Conflict, NotFound } from '../../../kernel/errors/index.js';
import type { Locale } from '../../../kernel/i18n/index.js';
import { scrubPersonalInformation } from '../../../kernel/text/personal-information.js';
import { servicesEvents } from '../audit.js';
import { referenceExists } from '../data/events.js';
import {
  findFeedback,
  insertFeedback,
  insertImprovement,
  insertPageFeedback,
  listFeedback,
  listImprovements,
  referenceUsed,
  tagsInUse,
  updateFeedback,
  type FeedbackRow,
  type InboxFilter,
} from '../data/feedback.js';
import { feedbackInput, improvementInput, pageFeedbackInput, triageInput } from '../inputs/feedback.input.js';
import { servicesPermissions } from '../policies/index.js';
import type { FeedbackItem, Improvement, Service } from '../types.js';
import type { ServicesDeps } from './deps.js';
import { existingService, toService } from './services.js';

/** Feedback allowed per address per hour: enough for a shared office or library, not for a flood. */
export const feedbackRateLimits = { perAddressPerHour: 30 } as const;

export function toFeedbackItem(row: FeedbackRow): FeedbackItem {
  return {
    id: row.id,
    serviceId: row.serviceId,
    reference: row.reference,
    satisfaction: row.satisfaction,
    achieved: row.achieved,
    comment: row.comment,
    locale: row.locale,
    tags: row.tags,
    actioned: row.actioned,
    actionedAt: row.actionedAt,
    submittedAt: row.submittedAt,
  };
}

/**
 * Before the form is shown: the service, and whether the transaction reference can still be used.
 * An unknown reference (not in the service's events) or one already used gets its own clear page.
 */
export async function prepareFeedback(deps: ServicesDeps, codeOrId: string, reference: string | undefined): Promise<{ service: Service; reference: string | null }> {
  const row = await existingService(deps, codeOrId);
  const db = deps.kernel.database.db;
  const ref = reference?.trim() || null;
  if (ref) {
    if (ref.length > 100 || !(await referenceExists(db, row.id, ref))) throw new NotFound('services.feedback.errors.ref.unknown');
    if (await referenceUsed(db, row.id, ref)) throw new Conflict('services.feedback.errors.ref.used');
  }
  return { service: toService(row, await deps.identity.getOrganization(row.organizationId)), reference: ref };
}

/**
 * Anyone rates a service right after using it. Personal information in the comment is replaced with
 * `###` before it is stored; one response per transaction reference; limited per address.
 */
export async function giveFeedback(deps: ServicesDeps, ctx: ActionContext, codeOrId: string, raw: unknown): Promise<{ feedback: FeedbackItem }> {
  authorize(ctx.actor, servicesPermissions.giveFeedback, undefined);
  const input = feedbackInput.parse(raw);
  const row = await existingService(deps, codeOrId);
  const db = deps.kernel.database.db;
  const reference = input.ref ?? null;
  if (reference && !(await referenceExists(db, row.id, reference))) throw new NotFound('services.feedback.errors.ref.unknown');
  if (ctx.client?.ip) await hitRateLimit(db, `services.feedback:address:${ctx.client.ip}`, feedbackRateLimits.perAddressPerHour, 3600);
  const comment = input.comment ? scrubPersonalInformation(input.comment).text : null;
  const locale: Locale = ctx.locale ?? ctx.actor.locale ?? 'en';
  const stored = await deps.kernel.database.transaction((tx) =>
    insertFeedback(tx, { serviceId: row.id, reference, satisfaction: input.satisfaction, achieved: input.achieved ?? null, comment, locale }, deps.kernel.config.timeZone),
  );
  // The reference already has a response (a second submission, or two at once): nothing is stored.
  if (!stored) throw new Conflict('services.feedback.errors.ref.used');
  deps.dashboards.changed();
  return { feedback: toFeedbackItem(stored) };
}

/** "Did you find what you were looking for?" from any page; comments scrubbed like feedback. */
export async function givePageFeedback(deps: ServicesDeps, ctx: ActionContext, raw: unknown): Promise<{ found: boolean; path: string }> {
  authorize(ctx.actor, servicesPermissions.giveFeedback, undefined);
  const input = pageFeedbackInput.parse(raw);
  const db = deps.kernel.database.db;
  if (ctx.client?.ip) await hitRateLimit(db, `services.page_feedback:address:${ctx.client.ip}`, feedbackRateLimits.perAddressPerHour, 3600);
  await insertPageFeedback(db, {
    path: input.path,
    found: input.found === 'yes',
    comment: input.comment ? scrubPersonalInformation(input.comment).text : null,
    locale: ctx.locale ?? 'en',
  });
  return { found: input.found === 'yes', path: input.path };
}

export interface Inbox {
  service: Service;
  items: FeedbackItem[];
  total: number;
  tags: Array<{ tag: string; uses: number }>;
  canTriage: boolean;
}

/** A service team's feedback inbox, filtered. */
export async function feedbackInbox(deps: ServicesDeps, ctx: ActionContext, codeOrId: string, filter: InboxFilter, limit: number, offset: number): Promise<Inbox> {
  const row = await existingService(deps, codeOrId);
  authorize(ctx.actor, servicesPermissions.readFeedback, row);
  const db = deps.kernel.database.db;
  const [{ rows, total }, tags, organization] = await Promise.all([
    listFeedback(db, row.id, filter, deps.kernel.config.timeZone, limit, offset),
    tagsInUse(db, row.id),
    deps.identity.getOrganization(row.organizationId),
  ]);
  let canTriage = true;
  try {
    authorize(ctx.actor, servicesPermissions.triageFeedback, row);
  } catch {
    canTriage = false;
  }
  return { service: toService(row, organization), items: rows.map(toFeedbackItem), total, tags, canTriage };
}

/** Tags typed as "wait times, forms; wait times" become ["forms", "wait times"] (lower case, unique). */
export function parseTags(text: string | undefined): string[] {
  return [...new Set((text ?? '').split(/[,;]/).map((t) => t.trim().toLowerCase().slice(0, 50)).filter(Boolean))].sort().slice(0, 20);
}

/** Staff set a response's tags and whether it was actioned. */
export async function triageFeedback(deps: ServicesDeps, ctx: ActionContext, codeOrId: string, feedbackId: string, raw: unknown): Promise<FeedbackItem> {
  const service = await existingService(deps, codeOrId);
  authorize(ctx.actor, servicesPermissions.triageFeedback, service);
  const existing = await findFeedback(deps.kernel.database.db, feedbackId);
  if (!existing || existing.serviceId !== service.id) throw new NotFound();
  const input = triageInput.parse(raw);
  // Tags change only when the field is sent (an empty field clears them).
  const tags = raw && typeof raw === 'object' && 'tags' in raw ? parseTags(input.tags) : existing.tags;
  const actioned = input.actioned ?? existing.actioned;
  return deps.kernel.database.transaction(async (tx) => {
    const row = await updateFeedback(tx, existing.id, {
      tags,
      actioned,
      actionedAt: actioned ? (existing.actionedAt ?? new Date()) : null,
      actionedBy: actioned ? (existing.actionedBy ?? ctx.actor.accountId) : null,
    });
    const events = [];
    if (tags.join() !== existing.tags.join()) events.push({ action: servicesEvents.feedbackTagged, organizationId: service.organizationId, targetType: 'service_feedback', targetId: row.id, details: { tags } });
    if (actioned !== existing.actioned) events.push({ action: servicesEvents.feedbackActioned, organizationId: service.organizationId, targetType: 'service_feedback', targetId: row.id, details: { actioned } });
    if (events.length) await record(tx, ctx, ...events);
    return toFeedbackItem(row);
  });
}

/** "You said, we did" of a service (public). */
export async function improvementsOf(deps: ServicesDeps, codeOrId: string): Promise<{ service: Service; items: Improvement[] }> {
  const row = await existingService(deps, codeOrId);
  const items = await listImprovements(deps.kernel.database.db, row.id);
  return {
    service: toService(row, await deps.identity.getOrganization(row.organizationId)),
    items: items.map((i) => ({ id: i.id, youSaid: i.youSaid, weDid: i.weDid, publishedOn: i.publishedOn })),
  };
}

/** The service team publishes what it changed because of feedback. */
export async function publishImprovement(deps: ServicesDeps, ctx: ActionContext, codeOrId: string, raw: unknown, today = new Date()): Promise<Improvement> {
  const service = await existingService(deps, codeOrId);
  authorize(ctx.actor, servicesPermissions.triageFeedback, service);
  const input = improvementInput.parse(raw);
  return deps.kernel.database.transaction(async (tx) => {
    const row = await insertImprovement(tx, {
      serviceId: service.id,
      youSaid: { en: input.youSaidEn, fr: input.youSaidFr },
      weDid: { en: input.weDidEn, fr: input.weDidFr },
      publishedOn: input.publishedOn ?? today.toISOString().slice(0, 10),
      createdBy: ctx.actor.accountId,
    });
    await record(tx, ctx, { action: servicesEvents.improvementPublished, organizationId: service.organizationId, targetType: 'service', targetId: service.id, details: { improvement: row.id } });
    return { id: row.id, youSaid: row.youSaid, weDid: row.weDid, publishedOn: row.publishedOn };
  });
}
