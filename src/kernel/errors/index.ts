import type { MessageParams } from '../i18n/index.js';

/**
 * The small, closed set of errors an action may throw. They are mapped to HTTP once, in
 * `kernel/http/errors.ts`: pages show a bilingual error page (or the form again, for `InputError`),
 * JSON APIs answer RFC 9457 problem+json. Codes are stable and documented in docs/reference/errors.md.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  /** Message key shown to people, in their language. */
  readonly messageKey: string;
  readonly params: MessageParams;

  constructor(messageKey: string, params: MessageParams = {}, detail?: string) {
    super(detail ?? messageKey);
    this.messageKey = messageKey;
    this.params = params;
    this.name = new.target.name;
  }
}

/** One field's problem: which field, which rule, and the message key that explains it. */
export interface FieldError {
  field: string;
  rule: string;
  messageKey: string;
  params?: MessageParams;
  /** The item's position when the input is a list (batch endpoints name each bad item). */
  index?: number;
}

/** The input is understood but some fields are wrong (422). Pages show the form again with input kept. */
export class InputError extends DomainError {
  readonly status = 422;
  readonly code = 'input_error';
  constructor(readonly fields: FieldError[]) {
    super('errors.input.title', {}, `Invalid input: ${fields.map((f) => `${f.field} (${f.rule})`).join(', ')}`);
  }

  /** An InputError for a single field. */
  static field(field: string, rule: string, messageKey: string, params?: MessageParams): InputError {
    return new InputError([{ field, rule, messageKey, ...(params ? { params } : {}) }]);
  }
}

/** The actor may not do this (403); anonymous actors are sent to sign in instead (401 for APIs). */
export class NotAllowed extends DomainError {
  readonly status = 403;
  readonly code = 'not_allowed';
  constructor(messageKey = 'errors.notAllowed.body', params?: MessageParams) {
    super(messageKey, params);
  }
}

/** The thing does not exist, or the actor may not know it exists (404). */
export class NotFound extends DomainError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(messageKey = 'errors.notFound.body', params?: MessageParams) {
    super(messageKey, params);
  }
}

/** The change clashes with the current state, e.g. a name already taken (409). */
export class Conflict extends DomainError {
  readonly status = 409;
  readonly code = 'conflict';
  constructor(
    messageKey: string,
    params?: MessageParams,
    /** Set when the clash is about one field, so forms can show it inline. */
    readonly field?: string,
  ) {
    super(messageKey, params);
  }
}

/** Too many attempts; try again after `retryAfterSeconds` (429). */
export class RateLimited extends DomainError {
  readonly status = 429;
  readonly code = 'rate_limited';
  constructor(
    readonly retryAfterSeconds: number,
    messageKey = 'errors.rateLimited.body',
  ) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super(messageKey, { minutes, count: minutes });
  }
}
