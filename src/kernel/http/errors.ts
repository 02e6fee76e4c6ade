import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { anonymous } from '../auth/actor.js';
import { isDatabaseUnavailable } from '../db/index.js';
import { DomainError, InputError, NotAllowed, NotFound, RateLimited, type FieldError } from '../errors/index.js';
import { inputForSchema, toInputError } from '../input/index.js';
import { negotiateLocale, localeOfPath } from '../i18n/index.js';
import { shownErrors } from './pages.js';

/** What a failed request becomes, before it is shown as a page or as problem+json. */
interface Failure {
  status: number;
  code: string;
  messageKey: string;
  params: Record<string, string | number>;
  fields: FieldError[];
  retryAfter?: number;
}

/** Whether this request should get JSON errors rather than pages. */
export function isApiRequest(request: FastifyRequest): boolean {
  return request.routeOptions.config?.api === true || request.url.startsWith('/api/') || request.url === '/api';
}

/** Maps any error to one failure shape, in one place (architecture rule 4). */
export function classify(error: unknown, request: FastifyRequest): Failure {
  const none = { params: {}, fields: [] };
  if (error instanceof DomainError) {
    return {
      status: error.status,
      code: error.code,
      messageKey: error.messageKey,
      params: error.params,
      fields: error instanceof InputError ? error.fields : [],
      ...(error instanceof RateLimited ? { retryAfter: error.retryAfterSeconds } : {}),
    };
  }
  const e = error as FastifyError & { validation?: Array<{ instancePath: string; keyword: string; params: Record<string, unknown> }>; validationContext?: string };
  if (e?.validation) {
    const input = e.validationContext === 'body' ? inputForSchema(request.routeOptions.schema?.body) : undefined;
    const fields = input
      ? toInputError(input, e.validation).fields
      : e.validation.map((v) => ({
          field: v.keyword === 'required' ? String(v.params['missingProperty']) : v.instancePath.replace(/^\//, '') || e.validationContext || '',
          rule: v.keyword,
          messageKey: 'errors.field.invalid',
        }));
    return { status: 422, code: 'input_error', messageKey: 'errors.input.title', params: {}, fields };
  }
  if (isDatabaseUnavailable(error)) return { status: 503, code: 'unavailable', messageKey: 'errors.unavailable.body', ...none };
  switch (e?.code) {
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return { status: 403, code: 'csrf', messageKey: 'errors.csrf.body', ...none };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'unsupported_media_type', messageKey: isApiRequest(request) ? 'errors.mediaType.api' : 'errors.mediaType.body', ...none };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return { status: 413, code: 'too_large', messageKey: 'errors.tooLarge.body', ...none };
  }
  const status = typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
  if (status === 404) return { status, code: 'not_found', messageKey: 'errors.notFound.body', ...none };
  if (status < 500) return { status, code: 'bad_request', messageKey: 'errors.badRequest.body', ...none };
  return { status: 500, code: 'internal', messageKey: 'errors.internal.body', ...none };
}

const titleKeys: Record<number, string> = {
  400: 'errors.badRequest.title',
  401: 'errors.notAllowed.title',
  403: 'errors.notAllowed.title',
  404: 'errors.notFound.title',
  409: 'errors.conflict.title',
  413: 'errors.tooLarge.title',
  415: 'errors.badRequest.title',
  422: 'errors.input.title',
  429: 'errors.rateLimited.title',
  503: 'errors.unavailable.title',
  500: 'errors.internal.title',
};

export function titleKeyFor(status: number): string {
  return titleKeys[status] ?? (status >= 500 ? 'errors.internal.title' : 'errors.badRequest.title');
}

/**
 * Installs the error and not-found handlers. Pages get a bilingual error page (anonymous people
 * asked to sign in instead of a 403); APIs get RFC 9457 problem+json. Nothing internal (stack
 * traces, SQL) ever reaches the client; the log has it, under the request id.
 */
export function installErrorHandling(app: FastifyInstance, signInPath: () => string | undefined) {
  app.setErrorHandler(async (error, request, reply) => {
    request.actor ??= anonymous;
    request.locale ??= localeOfPath(request.url) ?? negotiateLocale(request.headers['accept-language']);
    request.t ??= app.kernel.messages.forLocale(request.locale);
    const failure = classify(error, request);
    if (failure.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: failure.code, status: failure.status }, 'request refused');

    const anonymousDenied = error instanceof NotAllowed && request.actor.kind === 'anonymous';
    if (failure.retryAfter) reply.header('retry-after', String(failure.retryAfter));
    if (isApiRequest(request)) {
      if (anonymousDenied) {
        reply.header('www-authenticate', 'Bearer');
        return sendProblem(reply, request, { ...failure, status: 401, code: 'unauthenticated', messageKey: 'errors.unauthenticated.body' });
      }
      return sendProblem(reply, request, failure);
    }
    const signIn = signInPath();
    if (anonymousDenied && signIn) {
      const back = request.method === 'GET' ? request.url : (request.headers.referer ? safeReturnPath(request.headers.referer) : undefined);
      return reply.redirect(`/${request.locale}${signIn}${back ? `?return=${encodeURIComponent(back)}` : ''}`, 303);
    }
    return sendErrorPage(reply, request, failure);
  });

  app.setNotFoundHandler(async (request, reply) => {
    request.actor ??= anonymous;
    request.locale ??= localeOfPath(request.url) ?? negotiateLocale(request.headers['accept-language']);
    request.t ??= app.kernel.messages.forLocale(request.locale);
    const failure = classify(new NotFound(), request);
    if (isApiRequest(request)) return sendProblem(reply, request, failure);
    return sendErrorPage(reply, request, failure);
  });
}

function sendErrorPage(reply: FastifyReply, request: FastifyRequest, failure: Failure) {
  const { errors } = shownErrors(request.t, failure.fields);
  try {
    return reply.page('errors/error.njk', {
      status: failure.status,
      titleKey: titleKeyFor(failure.status),
      messageKey: failure.messageKey,
      messageParams: failure.params,
      fieldErrors: errors,
    }, { status: failure.status });
  } catch (renderError) {
    // The error page itself failed (e.g. templates broken): answer in plain text, still bilingual.
    request.log.error({ err: renderError }, 'error page failed to render');
    return reply.code(failure.status).type('text/plain; charset=utf-8').send(`Error ${failure.status} / Erreur ${failure.status} (${request.id})`);
  }
}

/** Sends an RFC 9457 problem document with each field's error named. */
export function sendProblem(reply: FastifyReply, request: FastifyRequest, failure: Failure) {
  const t = request.t;
  return reply
    .code(failure.status)
    .type('application/problem+json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send({
      type: 'about:blank',
      title: t(titleKeyFor(failure.status)),
      status: failure.status,
      detail: t(failure.messageKey, failure.params),
      instance: request.url.split('?')[0],
      code: failure.code,
      requestId: request.id,
      ...(failure.fields.length
        ? { errors: failure.fields.map((f) => ({ ...(f.index === undefined ? {} : { index: f.index }), field: f.field, rule: f.rule, message: t(f.messageKey, f.params) })) }
        : {}),
    });
}

/** Only same-site paths may be returned to after sign-in (no open redirects). */
export function safeReturnPath(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let path = value;
  try {
    if (/^https?:\/\//i.test(value)) {
      const url = new URL(value);
      path = url.pathname + url.search;
    }
  } catch {
    return undefined;
  }
  return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\') ? path : undefined;
}
