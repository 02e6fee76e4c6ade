import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';

/** A superadmin's change to an account: status and platform role. */
export const administerAccountInput = defineInput('identity.adminAccount', {
  status: field(Type.Optional(Type.Enum(['active', 'deactivated'])), { invalid: 'identity.adminAccount.status.invalid' }),
  superadmin: field(Type.Optional(Type.Boolean()), { invalid: 'identity.adminAccount.superadmin.invalid' }),
});
