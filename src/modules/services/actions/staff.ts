import type { ActionContext } from '../../../kernel/audit/index.js';
import { authorize } from '../../../kernel/auth/policy.js';
import { InputError, NotFound } from '../../../kernel/errors/index.js';
import type { Organization } from '../../identity/index.js';
import { listPageFeedback } from '../data/feedback.js';
import { listStandardPoints } from '../data/reports.js';
import { servicesPermissions } from '../policies/index.js';
import type { AssessmentPoint, Service } from '../types.js';
import { saveStandardPoint } from './assessment.js';
import type { ServicesDeps } from './deps.js';
import { formOf, getService, serviceOrganizations } from './services.js';

/** Before the edit form is shown: the service, its fields and the organizations it may move to (its editors only). */
export async function serviceForEdit(
  deps: ServicesDeps,
  ctx: ActionContext,
  codeOrId: string,
): Promise<{ service: Service; values: Record<string, unknown>; organizations: Organization[] }> {
  const service = await getService(deps, codeOrId);
  authorize(ctx.actor, servicesPermissions.editService, { organizationId: service.organization.id });
  return { service, values: formOf(service), organizations: await serviceOrganizations(deps, ctx) };
}

/** Before the "you said, we did" form is shown: the service (people who may triage its feedback). */
export async function improvementForm(deps: ServicesDeps, ctx: ActionContext, codeOrId: string): Promise<Service> {
  const service = await getService(deps, codeOrId);
  authorize(ctx.actor, servicesPermissions.triageFeedback, { organizationId: service.organization.id });
  return service;
}

/** Before the rating form is shown: the service and the standard's points in use (administrators of its organization). */
export async function assessmentForm(deps: ServicesDeps, ctx: ActionContext, codeOrId: string): Promise<{ service: Service; points: AssessmentPoint[] }> {
  const service = await getService(deps, codeOrId);
  authorize(ctx.actor, servicesPermissions.assess, { organizationId: service.organization.id });
  const points = await listStandardPoints(deps.kernel.database.db, true);
  return { service, points };
}

/** One point of the standard, to change it (superadmins). */
export async function standardPoint(deps: ServicesDeps, ctx: ActionContext, id: string): Promise<AssessmentPoint> {
  authorize(ctx.actor, servicesPermissions.manageStandardPoints, undefined);
  const point = (await listStandardPoints(deps.kernel.database.db, false)).find((p) => p.id === id);
  if (!point) throw new NotFound();
  return point;
}

/** A superadmin adds a point; an id already in the list is refused rather than silently replaced. */
export async function addStandardPoint(deps: ServicesDeps, ctx: ActionContext, raw: unknown): Promise<void> {
  authorize(ctx.actor, servicesPermissions.manageStandardPoints, undefined);
  const id = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)['id'] : undefined;
  const points = await listStandardPoints(deps.kernel.database.db, false);
  // `new` is the address of this form, so a point by that name could never be opened again.
  if (typeof id === 'string' && (id.trim() === 'new' || points.some((p) => p.id === id.trim()))) throw InputError.field('id', 'taken', 'services.staff.points.errors.idTaken');
  await saveStandardPoint(deps, ctx, raw);
}

/** A superadmin changes a point; its id stays the one in the address. */
export async function changeStandardPoint(deps: ServicesDeps, ctx: ActionContext, id: string, raw: unknown): Promise<void> {
  await standardPoint(deps, ctx, id);
  await saveStandardPoint(deps, ctx, { ...(raw && typeof raw === 'object' ? raw : {}), id });
}

export interface PageFeedbackItem {
  id: string;
  path: string;
  found: boolean;
  comment: string | null;
  locale: string;
  submittedAt: Date;
}

/** Answers to "Did you find what you were looking for?", newest first (superadmins). */
export async function pageFeedbackList(deps: ServicesDeps, ctx: ActionContext, limit: number, offset: number): Promise<{ items: PageFeedbackItem[]; total: number }> {
  authorize(ctx.actor, servicesPermissions.readPageFeedback, undefined);
  const { rows, total } = await listPageFeedback(deps.kernel.database.db, limit, offset);
  return { items: rows.map((r) => ({ id: r.id, path: r.path, found: r.found, comment: r.comment, locale: r.locale, submittedAt: r.submittedAt })), total };
}
