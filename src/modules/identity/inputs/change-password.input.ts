import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';
import { newPasswordField } from './fields.js';

export const changePasswordInput = defineInput('identity.changePassword', {
  currentPassword: field(Type.String({ maxLength: 1024 }), { required: 'identity.changePassword.currentPassword.required', maxLength: 'identity.changePassword.currentPassword.wrong' }, { trim: false }),
  password: newPasswordField('changePassword'),
  confirmPassword: field(Type.String({ maxLength: 128 }), { required: 'identity.changePassword.confirmPassword.required', maxLength: 'identity.changePassword.confirmPassword.match' }, { trim: false }),
});

/** Deactivating one's account asks for the password again. */
export const deactivateInput = defineInput('identity.deactivate', {
  currentPassword: field(Type.String({ maxLength: 1024 }), { required: 'identity.deactivate.currentPassword.required', maxLength: 'identity.deactivate.currentPassword.wrong' }, { trim: false }),
});
