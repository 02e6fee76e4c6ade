import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';

export const tokenLifetimes = [30, 90, 365] as const;

/** Create an API token. Scopes are checked against the registered list by the action. */
export const createTokenInput = defineInput('identity.token', {
  name: field(Type.String({ maxLength: 100 }), { required: 'identity.token.name.required', maxLength: 'identity.token.name.maxLength' }),
  scopes: field(Type.Array(Type.String({ maxLength: 50 }), { minItems: 1, maxItems: 20 }), { required: 'identity.token.scopes.required', minItems: 'identity.token.scopes.required', invalid: 'identity.token.scopes.invalid' }),
  days: field(Type.Integer({ enum: [...tokenLifetimes] }), { required: 'identity.token.days.required', invalid: 'identity.token.days.required' }),
});
