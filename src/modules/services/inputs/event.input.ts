import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';
import { channels, eventTypes, outcomes } from '../schema.js';

/** Events in one batch request at most: big enough for fast ingest, small enough for one transaction. */
export const maxBatchEvents = 5000;

/**
 * One transaction event. `id` is the sender's idempotency key; `time` is when it happened (ISO 8601
 * with an offset), not when it was sent. `step` names the step of a `step` event; `outcome` is
 * required on `completed` events (ineligible people completed the transaction too).
 */
export const eventInput = defineInput('services.event', {
  id: field(Type.String({ maxLength: 100 }), { required: 'services.events.errors.id.required', maxLength: 'services.events.errors.id.maxLength' }),
  service: field(Type.String({ maxLength: 40 }), { required: 'services.events.errors.service.required', maxLength: 'services.events.errors.service.unknown' }),
  reference: field(Type.String({ maxLength: 100 }), { required: 'services.events.errors.reference.required', maxLength: 'services.events.errors.reference.maxLength' }),
  type: field(Type.Enum([...eventTypes]), { required: 'services.events.errors.type.required', invalid: 'services.events.errors.type.invalid' }),
  step: field(Type.Optional(Type.String({ maxLength: 100 })), { maxLength: 'services.events.errors.step.maxLength', invalid: 'services.events.errors.step.maxLength' }),
  outcome: field(Type.Optional(Type.Enum([...outcomes])), { invalid: 'services.events.errors.outcome.invalid' }),
  channel: field(Type.Enum([...channels]), { required: 'services.events.errors.channel.required', invalid: 'services.events.errors.channel.invalid' }),
  time: field(Type.String({ format: 'date-time' }), { required: 'services.events.errors.time.required', invalid: 'services.events.errors.time.invalid' }),
});

/** The batch body: `{ "events": [ … ] }`, each item checked on its own so every bad one is named. */
export const batchSchema = Type.Object({ events: Type.Array(Type.Unknown(), { minItems: 1, maxItems: maxBatchEvents }) }, { additionalProperties: false });
