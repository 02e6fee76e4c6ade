import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';
import { channels, clientTypes, onlineAnswers, serviceStatuses, serviceTypes } from '../schema.js';

const text = (max: number, key: string, required = false) =>
  field(required ? Type.String({ maxLength: max }) : Type.Optional(Type.String({ maxLength: max })), {
    ...(required ? { required: `services.inventory.errors.${key}.required` } : {}),
    maxLength: `services.inventory.errors.${key}.maxLength`,
  });
const online = () => field(Type.Optional(Type.Enum([...onlineAnswers])), { invalid: 'services.inventory.errors.online.invalid' });

/** A service in the inventory: the form's and the API's fields (names and descriptions in both languages). */
export const serviceInput = defineInput('services.service', {
  code: field(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$' }), { required: 'services.inventory.errors.code.required', pattern: 'services.inventory.errors.code.pattern' }),
  organizationId: field(Type.String({ format: 'uuid' }), { required: 'services.inventory.errors.organizationId.required', invalid: 'services.inventory.errors.organizationId.required' }),
  nameEn: text(300, 'nameEn', true),
  nameFr: text(300, 'nameFr', true),
  descriptionEn: text(5000, 'descriptionEn', true),
  descriptionFr: text(5000, 'descriptionFr', true),
  programCode: text(40, 'programCode'),
  programNameEn: text(300, 'programNameEn'),
  programNameFr: text(300, 'programNameFr'),
  serviceTypes: field(Type.Optional(Type.Array(Type.Enum([...serviceTypes]), { maxItems: serviceTypes.length })), { invalid: 'services.inventory.errors.serviceTypes.invalid' }),
  clientTypes: field(Type.Optional(Type.Array(Type.Enum([...clientTypes]), { maxItems: clientTypes.length })), { invalid: 'services.inventory.errors.clientTypes.invalid' }),
  channels: field(Type.Optional(Type.Array(Type.Enum([...channels]), { maxItems: channels.length })), { invalid: 'services.inventory.errors.channels.invalid' }),
  accountRegistration: online(),
  authentication: online(),
  application: online(),
  decision: online(),
  issuance: online(),
  feedback: online(),
  chargesFee: field(Type.Optional(Type.Enum(['yes', 'no'])), { invalid: 'services.inventory.errors.chargesFee.invalid' }),
  feeDescriptionEn: text(1000, 'feeDescriptionEn'),
  feeDescriptionFr: text(1000, 'feeDescriptionFr'),
  urlEn: field(Type.Optional(Type.String({ format: 'uri', maxLength: 2000 })), { invalid: 'services.inventory.errors.url.invalid' }),
  urlFr: field(Type.Optional(Type.String({ format: 'uri', maxLength: 2000 })), { invalid: 'services.inventory.errors.url.invalid' }),
  status: field(Type.Optional(Type.Enum([...serviceStatuses])), { invalid: 'services.inventory.errors.status.invalid' }),
});

/** The inventory list's and API's query string. */
export const serviceListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  organization: Type.Optional(Type.String({ maxLength: 100 })),
  channel: Type.Optional(Type.Enum([...channels])),
  type: Type.Optional(Type.Enum([...serviceTypes])),
  online: Type.Optional(Type.Boolean()),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
});
