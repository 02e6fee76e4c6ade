import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';
import { emailField, localeSchema, nameSchema, newPasswordField } from './fields.js';

/** Create a resident account. */
export const registerInput = defineInput('identity.register', {
  displayName: field(nameSchema, { required: 'identity.register.displayName.required', maxLength: 'identity.register.displayName.maxLength' }),
  email: emailField('register'),
  password: newPasswordField('register'),
  locale: field(Type.Optional(localeSchema), { invalid: 'identity.register.locale.invalid' }),
});
