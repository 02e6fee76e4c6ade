import { defineInput } from '../../../kernel/input/index.js';
import { emailField } from './fields.js';

/** Ask for a password reset link. */
export const passwordResetRequestInput = defineInput('identity.resetRequest', { email: emailField('resetRequest') });

/** Ask for a new email confirmation link. */
export const resendVerificationInput = defineInput('identity.resend', { email: emailField('resend') });
