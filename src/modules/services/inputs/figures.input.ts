import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';
import { assessmentRatings, channels, missingReasons, standardTypes } from '../schema.js';

const day = (key: string) =>
  field(Type.String({ format: 'date' }), { required: `services.figures.errors.${key}.required`, invalid: `services.figures.errors.${key}.invalid` });
const channel = field(Type.Enum([...channels]), { required: 'services.figures.errors.channel.required', invalid: 'services.figures.errors.channel.required' });
const volume = (key: string) =>
  field(Type.Optional(Type.Integer({ minimum: 0, maximum: 1e12 })), { invalid: `services.figures.errors.${key}.invalid` });

/** Periodic counts for services that cannot send events (a null count needs a reason: no data, not applicable). */
export const countsInput = defineInput('services.counts', {
  periodStart: day('periodStart'),
  periodEnd: day('periodEnd'),
  channel,
  started: volume('started'),
  completed: volume('completed'),
  missing: field(Type.Optional(Type.Enum([...missingReasons])), { invalid: 'services.figures.errors.missing.invalid' }),
});

/** What the service cost through one channel over a period, in Canadian dollars. */
export const costInput = defineInput('services.cost', {
  periodStart: day('periodStart'),
  periodEnd: day('periodEnd'),
  channel,
  amount: field(Type.Number({ minimum: 0, maximum: 1e13 }), { required: 'services.figures.errors.amount.required', invalid: 'services.figures.errors.amount.invalid' }),
});

/** A service standard and its target share (entered as a percentage). */
export const standardInput = defineInput('services.standard', {
  nameEn: field(Type.String({ maxLength: 500 }), { required: 'services.standards.errors.nameEn.required', maxLength: 'services.standards.errors.maxLength' }),
  nameFr: field(Type.String({ maxLength: 500 }), { required: 'services.standards.errors.nameFr.required', maxLength: 'services.standards.errors.maxLength' }),
  type: field(Type.Enum([...standardTypes]), { required: 'services.standards.errors.type.required', invalid: 'services.standards.errors.type.required' }),
  channel: field(Type.Optional(Type.Enum([...channels])), { invalid: 'services.figures.errors.channel.required' }),
  targetPercent: field(Type.Optional(Type.Number({ minimum: 0, maximum: 100 })), { invalid: 'services.standards.errors.target.invalid' }),
});

/** How much volume met a standard over a period. */
export const standardResultInput = defineInput('services.standard_result', {
  periodStart: day('periodStart'),
  periodEnd: day('periodEnd'),
  volumeMeetingTarget: field(Type.Integer({ minimum: 0, maximum: 1e12 }), { required: 'services.standards.errors.meeting.required', invalid: 'services.standards.errors.meeting.invalid' }),
  totalVolume: field(Type.Integer({ minimum: 0, maximum: 1e12 }), { required: 'services.standards.errors.total.required', invalid: 'services.standards.errors.total.invalid' }),
});

/** One point of the Digital Service Standard, rated with evidence. */
export const assessmentInput = defineInput('services.assessment', {
  pointId: field(Type.String({ maxLength: 40 }), { required: 'services.assessment.errors.pointId.required', invalid: 'services.assessment.errors.pointId.required' }),
  rating: field(Type.Enum([...assessmentRatings]), { required: 'services.assessment.errors.rating.required', invalid: 'services.assessment.errors.rating.required' }),
  evidence: field(Type.Optional(Type.String({ maxLength: 4000 })), { maxLength: 'services.assessment.errors.evidence.maxLength' }),
  assessedOn: field(Type.Optional(Type.String({ format: 'date' })), { invalid: 'services.assessment.errors.assessedOn.invalid' }),
});

/** A point of the standard itself (superadmins keep the list). */
export const standardPointInput = defineInput('services.standard_point', {
  id: field(Type.String({ pattern: '^[a-z0-9-]{1,40}$' }), { required: 'services.points.errors.id.required', pattern: 'services.points.errors.id.pattern' }),
  position: field(Type.Integer({ minimum: 1, maximum: 1000 }), { required: 'services.points.errors.position.required', invalid: 'services.points.errors.position.required' }),
  titleEn: field(Type.String({ maxLength: 300 }), { required: 'services.points.errors.titleEn.required', maxLength: 'services.points.errors.maxLength' }),
  titleFr: field(Type.String({ maxLength: 300 }), { required: 'services.points.errors.titleFr.required', maxLength: 'services.points.errors.maxLength' }),
  descriptionEn: field(Type.String({ maxLength: 2000 }), { required: 'services.points.errors.descriptionEn.required', maxLength: 'services.points.errors.maxLength' }),
  descriptionFr: field(Type.String({ maxLength: 2000 }), { required: 'services.points.errors.descriptionFr.required', maxLength: 'services.points.errors.maxLength' }),
  active: field(Type.Optional(Type.Boolean()), { invalid: 'services.points.errors.active.invalid' }),
});

/** The dashboards' and KPI API's query string. */
export const kpiQuery = Type.Object({
  period: Type.Optional(Type.String({ maxLength: 20 })),
  channel: Type.Optional(Type.Enum([...channels])),
});
