import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { anonymous } from '../../../kernel/auth/actor.js';
import { readMultipartForm } from '../../../kernel/http/multipart.js';
import { localeOfPath, negotiateLocale } from '../../../kernel/i18n/index.js';
import type { CatalogueDeps } from '../actions/datasets.js';
import { uploadTypes } from '../actions/resources.js';
import { ckanActions } from '../ckan/actions.js';
import { badRequest, ckanFailure } from '../ckan/errors.js';
import { objectOf } from '../ckan/forms.js';
import type { CkanCall } from '../ckan/types.js';

/** CKAN serves its Action API at both addresses; clients use either. */
const prefixes = ['/api/3/action', '/api/action'] as const;
/** Actions that take a file (multipart, the file in `upload`). */
const uploadActions = new Set(['resource_create', 'resource_update', 'resource_patch']);

type ActionRoute = { Params: { action: string } };

function helpUrl(request: FastifyRequest, name: string): string {
  return `${request.server.kernel.config.publicUrl}/api/3/action/help_show?name=${encodeURIComponent(name)}`;
}

/**
 * A body's parameters. Old CKAN clients post a JSON document as the name of a single urlencoded
 * field (`urllib` with a quoted JSON string); CKAN reads those, so Trillium does too.
 */
function bodyParams(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (body === undefined || body === null || body === '') return {};
  const params = objectOf(body);
  if (!params) throw badRequest('JSON Error: the request data must be a JSON object (a dictionary)');
  const keys = Object.keys(params);
  const form = /^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '');
  if (form && keys.length === 1 && (params[keys[0]!] === '' || params[keys[0]!] === '1')) return objectOf(keys[0]) ?? params;
  return params;
}

/**
 * The CKAN Action API v3 (`/api/3/action/<name>` and `/api/action/<name>`), a thin adapter over the
 * catalogue's actions: parameters from the query string and the body (JSON, or a form with an API
 * token), the `{help, success, result}` envelope, and CKAN's error types and statuses.
 */
export function ckanRoutes(app: FastifyInstance, deps: CatalogueDeps): void {
  // A plugin context of its own, so CKAN's error envelope replaces problem+json for these routes
  // only, including errors raised by the kernel's hooks (an unknown token, a refused body type).
  void app.register(async (ckan) => {
    ckan.setErrorHandler(async (error, request, reply) => {
      request.actor ??= anonymous;
      request.locale ??= localeOfPath(request.url) ?? negotiateLocale(request.headers['accept-language']);
      request.t ??= ckan.kernel.messages.forLocale(request.locale);
      const failure = ckanFailure(error, request);
      if (failure.status >= 500) request.log.error({ err: error }, 'CKAN action failed');
      else request.log.info({ status: failure.status, type: failure.error.__type }, 'CKAN action refused');
      if (failure.retryAfter) reply.header('retry-after', String(failure.retryAfter));
      const name = (request.params as { action?: string } | undefined)?.action ?? '';
      return reply.code(failure.status).header('cache-control', 'no-store').send({ help: helpUrl(request, name), success: false, error: failure.error });
    });

    const handler = async (request: FastifyRequest<ActionRoute>, reply: FastifyReply) => {
      const name = request.params.action;
      const entry = Object.hasOwn(ckanActions, name) ? ckanActions[name] : undefined;
      if (!entry) throw badRequest(`Action name not known: ${name}`);
      // A GET must never change anything: links and cross-site navigations carry cookies.
      if (request.method !== 'POST' && !entry.sideEffectFree) throw badRequest('JSON Error: Invalid request. Please use POST method for your request');
      const query = { ...(request.query as Record<string, unknown>) };
      let call: CkanCall;
      if (request.method === 'POST' && request.isMultipart()) {
        if (!uploadActions.has(name)) throw badRequest(`multipart bodies are accepted by ${[...uploadActions].join(', ')} only`);
        const form = await readMultipartForm(request, reply, { fileField: 'upload', store: deps.kernel.files, maxBytes: deps.kernel.config.uploadMaxBytes, allowedTypes: uploadTypes });
        call = { request, deps, params: { ...query, ...form.fields }, ...(form.file ? { file: form.file } : {}) };
      } else {
        call = { request, deps, params: { ...query, ...(request.method === 'POST' ? bodyParams(request) : {}) } };
      }
      let result: unknown;
      try {
        result = await entry.run(call);
      } catch (error) {
        // A stored upload belongs to a resource only once the action succeeds.
        if (call.file) await deps.kernel.files.remove(call.file.key);
        throw error;
      }
      if (request.actor.kind !== 'anonymous') reply.header('cache-control', 'private, no-store');
      return { help: helpUrl(request, name), success: true, result };
    };

    const actions = Object.entries(ckanActions)
      .map(([name, entry]) => `- \`${name}\`${entry.sideEffectFree ? '' : ' (POST)'}: ${entry.help}`)
      .join('\n');
    const description = [
      'CKAN clients (ckanapi, harvesters, scripts written for CKAN) work unchanged. Parameters come from the query string and, for POST, a JSON body (or a urlencoded or multipart form sent with an API token). Answers are `{help, success, result}`; errors `{help, success: false, error: {__type, message, …fields}}` with 409 "Validation Error", 403 "Authorization Error", 404 "Not Found Error", 400 "Search Query Error" or "Bad Request".',
      'Write actions need an API token in `Authorization` (`trl_…` or `Bearer trl_…`) and POST. Bilingual fields follow ckanext-fluent (`title_translated: {en, fr}` beside `title`).',
      actions,
    ].join('\n\n');
    for (const prefix of prefixes) {
      const alias = prefix === '/api/action' ? ' (same as /api/3/action)' : '';
      const schema = (method: string) => ({
        tags: ['ckan'],
        summary: method === 'GET' ? `CKAN Action API v3: call a read action${alias}` : `CKAN Action API v3: call any action${alias}`,
        description,
        params: Type.Object({ action: Type.String({ maxLength: 100, description: 'The action, e.g. package_search' }) }),
      });
      ckan.get<ActionRoute>(`${prefix}/:action`, { config: { api: true, acceptsForms: true }, schema: schema('GET') }, handler);
      ckan.post<ActionRoute>(`${prefix}/:action`, { config: { api: true, acceptsForms: true }, schema: schema('POST') }, handler);
    }
  });
}
