import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { authorize, can } from '../../../kernel/auth/policy.js';
import { InputError } from '../../../kernel/errors/index.js';
import { servicesEvents } from '../audit.js';
import { assessmentsOf, insertAssessment, listStandardPoints, upsertStandardPoint } from '../data/reports.js';
import { ontarioDigitalServiceStandard } from '../data/ontario-digital-service-standard.js';
import { assessmentInput, standardPointInput } from '../inputs/figures.input.js';
import { servicesPermissions } from '../policies/index.js';
import type { AssessmentRating } from '../schema.js';
import type { AssessmentEntry, AssessmentPoint, Service } from '../types.js';
import type { ServicesDeps } from './deps.js';
import { existingService, toService } from './services.js';

export interface Assessment {
  service: Service;
  points: Array<AssessmentPoint & { current: AssessmentEntry | null; history: AssessmentEntry[] }>;
  /** How many points are met, partly met, not met and not assessed. */
  summary: Record<AssessmentRating, number>;
  canAssess: boolean;
}

/**
 * A service's Digital Service Standard assessment (public): the current rating of each point, with
 * its evidence, assessor and date, and every earlier rating.
 */
export async function serviceAssessment(deps: ServicesDeps, ctx: { actor: Parameters<typeof can>[0] }, codeOrId: string): Promise<Assessment> {
  const row = await existingService(deps, codeOrId);
  const db = deps.kernel.database.db;
  const [points, entries, organization] = await Promise.all([listStandardPoints(db, true), assessmentsOf(db, row.id), deps.identity.getOrganization(row.organizationId)]);
  const summary: Record<AssessmentRating, number> = { met: 0, partly: 0, not_met: 0, not_assessed: 0 };
  const result = points.map((p) => {
    const history = entries
      .filter((e) => e.pointId === p.id)
      .map((e) => ({ id: e.id, pointId: e.pointId, rating: e.rating, evidence: e.evidence, assessor: e.assessorName, assessedOn: e.assessedOn, recordedAt: e.recordedAt }));
    const current = history[0] ?? null;
    summary[current?.rating ?? 'not_assessed'] += 1;
    return { id: p.id, position: p.position, title: p.title, description: p.description, active: p.active, current, history };
  });
  return { service: toService(row, organization), points: result, summary, canAssess: can(ctx.actor, servicesPermissions.assess, row) };
}

/** An administrator of the owning organization rates one point, with evidence; earlier ratings are kept. */
export async function assessPoint(deps: ServicesDeps, ctx: ActionContext, codeOrId: string, raw: unknown, today = new Date()): Promise<void> {
  const service = await existingService(deps, codeOrId);
  authorize(ctx.actor, servicesPermissions.assess, service);
  const input = assessmentInput.parse(raw);
  const points = await listStandardPoints(deps.kernel.database.db, true);
  if (!points.some((p) => p.id === input.pointId)) throw InputError.field('pointId', 'invalid', 'services.assessment.errors.pointId.required');
  if (input.rating !== 'not_assessed' && !input.evidence) throw InputError.field('evidence', 'required', 'services.assessment.errors.evidence.required');
  await deps.kernel.database.transaction(async (tx) => {
    const row = await insertAssessment(tx, {
      serviceId: service.id,
      pointId: input.pointId,
      rating: input.rating,
      evidence: input.evidence ?? null,
      assessorId: ctx.actor.accountId,
      assessorName: ctx.actor.displayName,
      assessedOn: input.assessedOn ?? today.toISOString().slice(0, 10),
    });
    await record(tx, ctx, { action: servicesEvents.assessmentRecorded, organizationId: service.organizationId, targetType: 'service', targetId: service.id, details: { point: input.pointId, rating: input.rating, assessment: row.id } });
  });
}

/** The standard's points (all, for superadmins who keep the list). */
export async function standardPoints(deps: ServicesDeps, ctx: ActionContext): Promise<AssessmentPoint[]> {
  authorize(ctx.actor, servicesPermissions.manageStandardPoints, undefined);
  return listStandardPoints(deps.kernel.database.db, false);
}

/** A superadmin adds or changes a point of the standard (the list is data, not code). */
export async function saveStandardPoint(deps: ServicesDeps, ctx: ActionContext, raw: unknown): Promise<void> {
  authorize(ctx.actor, servicesPermissions.manageStandardPoints, undefined);
  const input = standardPointInput.parse(raw);
  await deps.kernel.database.transaction(async (tx) => {
    await upsertStandardPoint(tx, {
      id: input.id,
      position: input.position,
      title: { en: input.titleEn, fr: input.titleFr },
      description: { en: input.descriptionEn, fr: input.descriptionFr },
      active: input.active ?? false,
    });
    await record(tx, ctx, { action: servicesEvents.standardPointSaved, targetType: 'standard_point', targetId: input.id });
  });
}

/** Seeds Ontario's Digital Service Standard when the list is empty (first start, and the demo). */
export async function seedStandardPoints(deps: ServicesDeps): Promise<number> {
  const db = deps.kernel.database.db;
  if ((await listStandardPoints(db, false)).length > 0) return 0;
  for (const p of ontarioDigitalServiceStandard) await upsertStandardPoint(db, { ...p, active: true });
  return ontarioDigitalServiceStandard.length;
}
