import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';
import { emailField } from './fields.js';

export const signInInput = defineInput('identity.signIn', {
  email: emailField('signIn'),
  password: field(Type.String({ maxLength: 1024 }), { required: 'identity.signIn.password.required', maxLength: 'identity.signIn.password.required' }, { trim: false }),
});
