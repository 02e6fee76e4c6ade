import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';

const text = (max: number, key: string) => field(Type.Optional(Type.String({ maxLength: max })), { maxLength: `catalogue.standards.errors.${key}.maxLength` });

/**
 * Registering one version of a data standard. `schema` is a Frictionless Table Schema: JSON text
 * from the form, or a JSON object from the API. Versions never change: a new version is a new one.
 */
export const standardInput = defineInput('catalogue.standards.register', {
  organizationId: field(Type.String({ format: 'uuid' }), {
    required: 'catalogue.standards.errors.organizationId.required',
    invalid: 'catalogue.standards.errors.organizationId.required',
  }),
  name: field(Type.String({ minLength: 2, maxLength: 100, pattern: '^[a-z0-9][a-z0-9_-]*$' }), {
    required: 'catalogue.standards.errors.name.required',
    minLength: 'catalogue.standards.errors.name.pattern',
    maxLength: 'catalogue.standards.errors.name.pattern',
    pattern: 'catalogue.standards.errors.name.pattern',
  }),
  version: field(Type.String({ maxLength: 40, pattern: '^[0-9A-Za-z][0-9A-Za-z.+_-]*$' }), {
    required: 'catalogue.standards.errors.version.required',
    maxLength: 'catalogue.standards.errors.version.pattern',
    pattern: 'catalogue.standards.errors.version.pattern',
  }),
  titleEn: field(Type.String({ maxLength: 300 }), { required: 'catalogue.standards.errors.titleEn.required', maxLength: 'catalogue.standards.errors.titleEn.maxLength' }),
  titleFr: field(Type.String({ maxLength: 300 }), { required: 'catalogue.standards.errors.titleFr.required', maxLength: 'catalogue.standards.errors.titleFr.maxLength' }),
  descriptionEn: text(5000, 'descriptionEn'),
  descriptionFr: text(5000, 'descriptionFr'),
  schema: field(Type.Union([Type.String({ maxLength: 500_000 }), Type.Object({}, { additionalProperties: true })]), {
    required: 'catalogue.standards.errors.schema.required',
    maxLength: 'catalogue.standards.errors.schema.maxLength',
    invalid: 'catalogue.standards.errors.schema.object',
  }),
});
