import { defineInput, field } from '../../../kernel/input/index.js';
import { localeSchema, nameSchema } from './fields.js';

/** Change one's name and language. */
export const accountDetailsInput = defineInput('identity.details', {
  displayName: field(nameSchema, { required: 'identity.details.displayName.required', maxLength: 'identity.details.displayName.maxLength' }),
  locale: field(localeSchema, { required: 'identity.details.locale.required', invalid: 'identity.details.locale.required' }),
});
