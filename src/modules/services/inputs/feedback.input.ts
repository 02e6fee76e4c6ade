import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';
import { achievedAnswers } from '../schema.js';

export const maxCommentLength = 1200;

/**
 * Feedback right after a transaction: "Overall, how did you feel about the service you received
 * today?" (1 very dissatisfied … 5 very satisfied), "Were you able to do what you came to do?", and
 * an optional comment. `ref` is the transaction reference the service put in the link.
 */
export const feedbackInput = defineInput('services.feedback', {
  satisfaction: field(Type.Integer({ minimum: 1, maximum: 5 }), {
    required: 'services.feedback.errors.satisfaction.required',
    invalid: 'services.feedback.errors.satisfaction.required',
  }),
  achieved: field(Type.Optional(Type.Enum([...achievedAnswers])), { invalid: 'services.feedback.errors.achieved.invalid' }),
  comment: field(Type.Optional(Type.String({ maxLength: maxCommentLength })), { maxLength: 'services.feedback.errors.comment.maxLength' }),
  ref: field(Type.Optional(Type.String({ maxLength: 100 })), { maxLength: 'services.feedback.errors.ref.unknown' }),
});

/** "Did you find what you were looking for?" on any page. */
export const pageFeedbackInput = defineInput('services.page_feedback', {
  found: field(Type.Enum(['yes', 'no']), { required: 'services.pageFeedback.errors.found.required', invalid: 'services.pageFeedback.errors.found.required' }),
  path: field(Type.String({ maxLength: 500, pattern: '^/' }), { required: 'services.pageFeedback.errors.path.invalid', invalid: 'services.pageFeedback.errors.path.invalid' }),
  comment: field(Type.Optional(Type.String({ maxLength: maxCommentLength })), { maxLength: 'services.feedback.errors.comment.maxLength' }),
});

/** The inbox's filters (page and API). */
export const inboxQuery = Type.Object({
  satisfaction: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 5 }), { maxItems: 5 })),
  achieved: Type.Optional(Type.Enum([...achievedAnswers])),
  status: Type.Optional(Type.Enum(['open', 'actioned'])),
  tag: Type.Optional(Type.String({ maxLength: 50 })),
  comment: Type.Optional(Type.Boolean()),
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
});

/** Staff tag a response and mark it actioned (or open again). */
export const triageInput = defineInput('services.feedback.triage', {
  tags: field(Type.Optional(Type.String({ maxLength: 300 })), { maxLength: 'services.feedback.errors.tags.maxLength' }),
  actioned: field(Type.Optional(Type.Boolean()), { invalid: 'services.feedback.errors.actioned.invalid' }),
});

/** "You said, we did": what people said, and what the team did, in both languages. */
export const improvementInput = defineInput('services.improvement', {
  youSaidEn: field(Type.String({ maxLength: 1000 }), { required: 'services.improvements.errors.youSaidEn.required', maxLength: 'services.improvements.errors.maxLength' }),
  youSaidFr: field(Type.String({ maxLength: 1000 }), { required: 'services.improvements.errors.youSaidFr.required', maxLength: 'services.improvements.errors.maxLength' }),
  weDidEn: field(Type.String({ maxLength: 1000 }), { required: 'services.improvements.errors.weDidEn.required', maxLength: 'services.improvements.errors.maxLength' }),
  weDidFr: field(Type.String({ maxLength: 1000 }), { required: 'services.improvements.errors.weDidFr.required', maxLength: 'services.improvements.errors.maxLength' }),
  publishedOn: field(Type.Optional(Type.String({ format: 'date' })), { invalid: 'services.improvements.errors.publishedOn.invalid' }),
});
