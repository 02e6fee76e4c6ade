import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';
import { accessLevels, updateFrequencies } from '../schema.js';

const text = (max: number, key: string) => field(Type.Optional(Type.String({ maxLength: max })), { maxLength: `catalogue.errors.dataset.${key}.maxLength` });

/**
 * A dataset's metadata, as the publishing form and the JSON API send it. Drafts may be partial;
 * publishing checks that everything is there in both languages (actions/datasets.ts).
 */
export const datasetInput = defineInput('catalogue.dataset', {
  name: field(Type.String({ minLength: 2, maxLength: 100, pattern: '^[a-z0-9][a-z0-9_-]*$' }), {
    required: 'catalogue.errors.dataset.name.required',
    minLength: 'catalogue.errors.dataset.name.pattern',
    maxLength: 'catalogue.errors.dataset.name.pattern',
    pattern: 'catalogue.errors.dataset.name.pattern',
  }),
  organizationId: field(Type.String({ format: 'uuid' }), { required: 'catalogue.errors.dataset.organizationId.required', invalid: 'catalogue.errors.dataset.organizationId.required' }),
  titleEn: text(500, 'titleEn'),
  titleFr: text(500, 'titleFr'),
  descriptionEn: text(20000, 'descriptionEn'),
  descriptionFr: text(20000, 'descriptionFr'),
  keywordsEn: text(2000, 'keywordsEn'),
  keywordsFr: text(2000, 'keywordsFr'),
  groups: field(Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })), { invalid: 'catalogue.errors.dataset.groups.invalid' }),
  licenceId: field(Type.Optional(Type.String({ maxLength: 100 })), { invalid: 'catalogue.errors.dataset.licenceId.invalid' }),
  accessLevel: field(Type.Enum([...accessLevels]), { required: 'catalogue.errors.dataset.accessLevel.required', invalid: 'catalogue.errors.dataset.accessLevel.required' }),
  exemptionReasonEn: text(2000, 'exemptionReasonEn'),
  exemptionReasonFr: text(2000, 'exemptionReasonFr'),
  contactName: text(200, 'contactName'),
  contactEmail: field(Type.Optional(Type.String({ format: 'email', maxLength: 254 })), { invalid: 'catalogue.errors.dataset.contactEmail.format' }),
  updateFrequency: field(Type.Optional(Type.Enum([...updateFrequencies])), { invalid: 'catalogue.errors.dataset.updateFrequency.invalid' }),
  temporalStart: field(Type.Optional(Type.String({ format: 'date' })), { invalid: 'catalogue.errors.dataset.temporalStart.format' }),
  temporalEnd: field(Type.Optional(Type.String({ format: 'date' })), { invalid: 'catalogue.errors.dataset.temporalEnd.format' }),
  spatialEn: text(500, 'spatialEn'),
  spatialFr: text(500, 'spatialFr'),
  /** The version the person edited, so a change made meanwhile by someone else is not overwritten. */
  version: field(Type.Optional(Type.Integer({ minimum: 1 })), { invalid: 'catalogue.errors.dataset.version.invalid' }),
});
