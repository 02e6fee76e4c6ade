import { Type } from 'typebox';
import { defineInput, field } from '../../../kernel/input/index.js';

const tokenField = field(Type.String({ minLength: 20, maxLength: 200 }), { required: 'identity.link.invalid', invalid: 'identity.link.invalid' });

/** A one-time link's secret, posted back from the confirmation page. */
export const emailTokenInput = defineInput('identity.emailToken', { token: tokenField });
