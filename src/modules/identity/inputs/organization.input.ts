import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';
import { organizationKinds } from '../schema.js';

const name = (lang: 'En' | 'Fr') =>
  field(Type.String({ maxLength: 200 }), { required: `identity.organization.name${lang}.required`, maxLength: `identity.organization.name${lang}.maxLength` });
const acronym = (lang: 'En' | 'Fr') => field(Type.Optional(Type.String({ maxLength: 20 })), { maxLength: `identity.organization.acronym${lang}.maxLength` });
const common = {
  nameEn: name('En'),
  nameFr: name('Fr'),
  acronymEn: acronym('En'),
  acronymFr: acronym('Fr'),
  kind: field(Type.Enum([...organizationKinds]), { required: 'identity.organization.kind.required', invalid: 'identity.organization.kind.required' }),
  parentId: field(Type.Optional(Type.String({ format: 'uuid' })), { invalid: 'identity.organization.parentId.invalid' }),
};

/** Create an organization (both languages required: organization names are always shown bilingually). */
export const createOrganizationInput = defineInput('identity.organization.create', {
  slug: field(Type.String({ minLength: 2, maxLength: 60, pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' }), {
    required: 'identity.organization.slug.required',
    minLength: 'identity.organization.slug.pattern',
    maxLength: 'identity.organization.slug.pattern',
    pattern: 'identity.organization.slug.pattern',
  }),
  ...common,
});

export const updateOrganizationInput = defineInput('identity.organization.update', common);
