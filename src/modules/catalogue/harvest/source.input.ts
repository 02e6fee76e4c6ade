import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';
import { harvestKinds } from './types.js';

const fields = {
  titleEn: field(Type.String({ maxLength: 200 }), { required: 'catalogue.harvest.errors.titleEn.required', maxLength: 'catalogue.harvest.errors.titleEn.maxLength' }),
  titleFr: field(Type.String({ maxLength: 200 }), { required: 'catalogue.harvest.errors.titleFr.required', maxLength: 'catalogue.harvest.errors.titleFr.maxLength' }),
  kind: field(Type.Enum([...harvestKinds]), { required: 'catalogue.harvest.errors.kind.required', invalid: 'catalogue.harvest.errors.kind.required' }),
  url: field(Type.String({ format: 'uri', maxLength: 2000, pattern: '^https?://' }), { required: 'catalogue.harvest.errors.url.required', invalid: 'catalogue.harvest.errors.url.format' }),
  organizationId: field(Type.String({ format: 'uuid' }), { required: 'catalogue.harvest.errors.organizationId.required', invalid: 'catalogue.harvest.errors.organizationId.required' }),
};

/** A new harvest source: a CKAN site or a DCAT JSON-LD catalogue, and who owns what it brings. */
export const harvestSourceInput = defineInput('catalogue.harvest.source', {
  name: field(Type.String({ minLength: 2, maxLength: 60, pattern: '^[a-z0-9][a-z0-9_-]*$' }), {
    required: 'catalogue.harvest.errors.name.required',
    minLength: 'catalogue.harvest.errors.name.pattern',
    maxLength: 'catalogue.harvest.errors.name.pattern',
    pattern: 'catalogue.harvest.errors.name.pattern',
  }),
  ...fields,
});

/** A source's settings once created (its name, used in addresses, stays). */
export const harvestSourceEditInput = defineInput('catalogue.harvest.sourceEdit', fields);
