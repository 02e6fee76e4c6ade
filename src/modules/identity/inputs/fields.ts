import { Type } from 'typebox';
import { field } from '../../../kernel/input/index.js';

/** Field shapes shared by several identity forms (each form still names its own messages). */
export const emailSchema = Type.String({ format: 'email', maxLength: 254 });
export const nameSchema = Type.String({ maxLength: 100 });
export const newPasswordSchema = Type.String({ minLength: 12, maxLength: 128 });
export const localeSchema = Type.Enum(['en', 'fr']);

export const emailField = (form: string) =>
  field(emailSchema, {
    required: `identity.${form}.email.required`,
    format: `identity.${form}.email.format`,
    maxLength: `identity.${form}.email.format`,
  });

export const newPasswordField = (form: string, name = 'password') =>
  field(
    newPasswordSchema,
    {
      required: `identity.${form}.${name}.required`,
      minLength: `identity.${form}.${name}.minLength`,
      maxLength: `identity.${form}.${name}.maxLength`,
    },
    { trim: false },
  );
