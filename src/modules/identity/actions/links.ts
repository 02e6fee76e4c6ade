import type { Config } from '../../../kernel/config/index.js';
import type { Locale } from '../../../kernel/i18n/index.js';

/** A link for an email: absolute, in the recipient's language, secret in the query string. */
export function emailLink(config: Pick<Config, 'publicUrl'>, locale: Locale, path: string, token: string): string {
  return `${config.publicUrl}/${locale}${path}?token=${encodeURIComponent(token)}`;
}

export const verifyEmailMinutes = 24 * 60;
export const resetPasswordMinutes = 60;
export const invitationDays = 14;
