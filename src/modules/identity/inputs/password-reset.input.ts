import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';
import { newPasswordField } from './fields.js';

/** Choose a new password from a reset link. */
export const passwordResetInput = defineInput('identity.reset', {
  token: field(Type.String({ minLength: 20, maxLength: 200 }), { required: 'identity.link.invalid', invalid: 'identity.link.invalid' }),
  password: newPasswordField('reset'),
  confirmPassword: field(Type.String({ maxLength: 128 }), { required: 'identity.reset.confirmPassword.required', maxLength: 'identity.reset.confirmPassword.match' }, { trim: false }),
});
