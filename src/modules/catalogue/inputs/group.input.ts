import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';

/** A group (theme) that datasets can belong to. */
export const groupInput = defineInput('catalogue.group', {
  name: field(Type.String({ minLength: 2, maxLength: 100, pattern: '^[a-z0-9][a-z0-9_-]*$' }), {
    required: 'catalogue.errors.group.name.required',
    minLength: 'catalogue.errors.group.name.pattern',
    maxLength: 'catalogue.errors.group.name.pattern',
    pattern: 'catalogue.errors.group.name.pattern',
  }),
  titleEn: field(Type.String({ maxLength: 200 }), { required: 'catalogue.errors.group.titleEn.required', maxLength: 'catalogue.errors.group.titleEn.maxLength' }),
  titleFr: field(Type.String({ maxLength: 200 }), { required: 'catalogue.errors.group.titleFr.required', maxLength: 'catalogue.errors.group.titleFr.maxLength' }),
  descriptionEn: field(Type.Optional(Type.String({ maxLength: 2000 })), { maxLength: 'catalogue.errors.group.descriptionEn.maxLength' }),
  descriptionFr: field(Type.Optional(Type.String({ maxLength: 2000 })), { maxLength: 'catalogue.errors.group.descriptionFr.maxLength' }),
});
