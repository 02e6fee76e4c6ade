import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';
import { emailField, nameSchema, newPasswordField } from './fields.js';

const rolesField = field(Type.Array(Type.String({ maxLength: 50 }), { minItems: 1, maxItems: 20 }), {
  required: 'identity.members.roles.required',
  minItems: 'identity.members.roles.required',
  invalid: 'identity.members.roles.invalid',
});

/** Invite someone into an organization with roles. */
export const inviteInput = defineInput('identity.invite', { email: emailField('invite'), roles: rolesField });

/** Change a member's roles. */
export const rolesInput = defineInput('identity.roles', { roles: rolesField });

/** Accept an invitation by creating an account (someone who has none yet). */
export const acceptWithNewAccountInput = defineInput('identity.accept', {
  displayName: field(nameSchema, { required: 'identity.accept.displayName.required', maxLength: 'identity.accept.displayName.maxLength' }),
  password: newPasswordField('accept'),
});
