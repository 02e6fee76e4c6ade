import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';

/** The organization under which the catalogue publishes its own usage figures as open data. */
export const metricsPublisherInput = defineInput('catalogue.metrics.publisher', {
  organizationId: field(Type.String({ format: 'uuid' }), {
    required: 'catalogue.metrics.errors.organizationId.required',
    invalid: 'catalogue.metrics.errors.organizationId.required',
  }),
});
