import type { FastifyError, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../../../kernel/db/index.js';
import { Conflict, DomainError, InputError, NotAllowed, NotFound, RateLimited } from '../../../kernel/errors/index.js';
import { ckanFieldOf } from './forms.js';

/**
 * An error in CKAN's own terms, for what only the CKAN adapter knows about: an unknown action, a
 * parameter of the wrong type, a filter query it cannot run. Trillium's domain errors are mapped
 * by `ckanFailure` below, so actions never need to know about CKAN.
 */
export class CkanError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    /** Extra members of the `error` object; for validation errors, each field's messages. */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CkanError';
  }
}

/** CKAN's "Bad request" (400): the call itself is malformed. */
export function badRequest(detail: string): CkanError {
  return new CkanError(400, 'Bad Request', `Bad request - ${detail}`);
}

/** CKAN's "Search Query Error" (400): `q`, `fq` or `sort` cannot be run. */
export function searchQueryError(detail: string): CkanError {
  return new CkanError(400, 'Search Query Error', `Search Query is invalid: ${detail}`);
}

/** CKAN's "Validation Error" (409), with the messages of each named field. */
export function validationError(fields: Record<string, unknown>): CkanError {
  return new CkanError(409, 'Validation Error', `Validation Error: ${Object.keys(fields).join(', ')}`, fields);
}

/** What a failed CKAN call answers: the HTTP status and the envelope's `error` object. */
export interface CkanFailure {
  status: number;
  error: { __type: string; message: string; [field: string]: unknown };
  retryAfter?: number;
}

/** Field messages keyed by CKAN field name, from Trillium's field errors (in the caller's language). */
export function fieldMessages(error: InputError, t: FastifyRequest['t']): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const f of error.fields) (fields[ckanFieldOf(f.field)] ??= []).push(t(f.messageKey, f.params));
  return fields;
}

/**
 * Every error a CKAN call can meet, mapped to CKAN's statuses and error types in one place:
 * InputError and Conflict → 409 "Validation Error" naming the fields, NotAllowed → 403
 * "Authorization Error" (anonymous callers too, as CKAN does), NotFound → 404 "Not Found Error".
 */
export function ckanFailure(error: unknown, request: FastifyRequest): CkanFailure {
  const t = request.t;
  if (error instanceof CkanError) return { status: error.status, error: { __type: error.type, message: error.message, ...error.fields } };
  if (error instanceof InputError) {
    const fields = fieldMessages(error, t);
    return { status: 409, error: { __type: 'Validation Error', message: `Validation Error: ${Object.keys(fields).join(', ')}`, ...fields } };
  }
  if (error instanceof Conflict) {
    const message = t(error.messageKey, error.params);
    return { status: 409, error: { __type: 'Validation Error', message, ...(error.field ? { [ckanFieldOf(error.field)]: [message] } : {}) } };
  }
  if (error instanceof NotAllowed) {
    const reason = error.messageKey === 'errors.notAllowed.body' ? '' : `: ${t(error.messageKey, error.params)}`;
    return { status: 403, error: { __type: 'Authorization Error', message: `Access denied${reason}` } };
  }
  if (error instanceof NotFound) {
    const detail = error.messageKey === 'errors.notFound.body' ? '' : `: ${t(error.messageKey, error.params)}`;
    return { status: 404, error: { __type: 'Not Found Error', message: `Not found${detail}` } };
  }
  if (error instanceof RateLimited) {
    return { status: 429, error: { __type: 'Rate Limited', message: t(error.messageKey, error.params) }, retryAfter: error.retryAfterSeconds };
  }
  if (error instanceof DomainError) return { status: error.status, error: { __type: 'Bad Request', message: t(error.messageKey, error.params) } };
  if (isDatabaseUnavailable(error)) return { status: 503, error: { __type: 'Service Unavailable', message: t('errors.unavailable.body') } };
  const e = error as FastifyError;
  switch (e?.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        error: { __type: 'Bad Request', message: 'Bad request - send JSON; urlencoded and multipart forms are accepted with an API token, never with a browser session' },
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, error: { __type: 'Bad Request', message: `Bad request - JSON Error: ${e.message}` } };
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return { status: 403, error: { __type: 'Authorization Error', message: 'Access denied: uploads need an API token' } };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
      return { status: 413, error: { __type: 'Bad Request', message: `Bad request - ${t('errors.tooLarge.body')}` } };
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: 400, error: { __type: 'Bad Request', message: `Bad request - ${e.message}` } };
  }
  return { status: 500, error: { __type: 'Internal Server Error', message: 'Internal Server Error' } };
}
