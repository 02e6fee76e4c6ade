import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';
import { requestStatuses } from '../schema.js';

/**
 * Asking for a dataset that is not published. The text is written in one language (`locale`, by
 * default the page's); the organization is a suggestion of who holds the data.
 */
export const requestInput = defineInput('catalogue.requests.create', {
  title: field(Type.String({ maxLength: 200 }), {
    required: 'catalogue.requests.errors.title.required',
    maxLength: 'catalogue.requests.errors.title.maxLength',
  }),
  description: field(Type.String({ maxLength: 5000 }), {
    required: 'catalogue.requests.errors.description.required',
    maxLength: 'catalogue.requests.errors.description.maxLength',
  }),
  locale: field(Type.Optional(Type.Enum(['en', 'fr'])), { invalid: 'catalogue.requests.errors.locale.invalid' }),
  organizationId: field(Type.Optional(Type.String({ format: 'uuid' })), { invalid: 'catalogue.requests.errors.organizationId.invalid' }),
  /** Email me when its status changes (signed-in people only). */
  follow: field(Type.Optional(Type.Boolean()), { invalid: 'catalogue.requests.errors.follow.invalid' }),
});

/**
 * Staff answer a request: its status, the dataset that answers it (published), and a note in both
 * languages (required when declined: the reason).
 */
export const requestAnswerInput = defineInput('catalogue.requests.answer', {
  status: field(Type.Enum([...requestStatuses]), { required: 'catalogue.requests.errors.status.required', invalid: 'catalogue.requests.errors.status.required' }),
  dataset: field(Type.Optional(Type.String({ maxLength: 100 })), { invalid: 'catalogue.requests.errors.dataset.invalid' }),
  noteEn: field(Type.Optional(Type.String({ maxLength: 2000 })), { maxLength: 'catalogue.requests.errors.noteEn.maxLength' }),
  noteFr: field(Type.Optional(Type.String({ maxLength: 2000 })), { maxLength: 'catalogue.requests.errors.noteFr.maxLength' }),
  /** Superadmins may send a request to the organization that holds the data. */
  organizationId: field(Type.Optional(Type.String({ format: 'uuid' })), { invalid: 'catalogue.requests.errors.organizationId.invalid' }),
});

/** The list page's and API's query string. */
export const requestListQuery = Type.Object({
  status: Type.Optional(Type.Array(Type.Enum([...requestStatuses]), { maxItems: 4 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
});
