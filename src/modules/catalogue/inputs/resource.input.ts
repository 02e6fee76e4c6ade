import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';

const text = (max: number, key: string) => field(Type.Optional(Type.String({ maxLength: max })), { maxLength: `catalogue.errors.resource.${key}.maxLength` });

/** A resource's description; the file itself comes through the upload, or `url` for a link. */
export const resourceInput = defineInput('catalogue.resource', {
  nameEn: text(300, 'nameEn'),
  nameFr: text(300, 'nameFr'),
  descriptionEn: text(5000, 'descriptionEn'),
  descriptionFr: text(5000, 'descriptionFr'),
  kind: field(Type.Enum(['upload', 'link']), { required: 'catalogue.errors.resource.kind.required', invalid: 'catalogue.errors.resource.kind.required' }),
  url: field(Type.Optional(Type.String({ format: 'uri', maxLength: 2000, pattern: '^https?://' })), { invalid: 'catalogue.errors.resource.url.format' }),
  format: field(Type.Optional(Type.String({ maxLength: 20, pattern: '^[A-Za-z0-9.+-]+$' })), { invalid: 'catalogue.errors.resource.format.invalid' }),
  standardId: field(Type.Optional(Type.String({ format: 'uuid' })), { invalid: 'catalogue.errors.resource.standardId.invalid' }),
});
