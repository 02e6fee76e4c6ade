import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';
import { emailField, localeSchema, nameSchema, newPasswordField } from './fields.js';

/** A confirmed account made by an administrator or the command line. */
export const createAccountInput = defineInput('identity.createAccount', {
  email: emailField('createAccount'),
  displayName: field(nameSchema, { required: 'identity.createAccount.displayName.required', maxLength: 'identity.createAccount.displayName.maxLength' }),
  password: newPasswordField('createAccount'),
  locale: field(Type.Optional(localeSchema), { invalid: 'identity.createAccount.locale.invalid' }),
  superadmin: field(Type.Optional(Type.Boolean()), { invalid: 'identity.createAccount.superadmin.invalid' }),
});
