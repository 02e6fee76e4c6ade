import path from 'node:path';
import zlib from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { errorCodes, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { anonymous, type AccountDirectory, type AccountProfile, type Actor } from '../auth/actor.js';
import { endSession, findSession, rememberProfile } from '../auth/sessions.js';
import { findToken, rememberTokenProfile, tokenPrefix } from '../auth/tokens.js';
import { NotAllowed, NotFound } from '../errors/index.js';
import { isLocale, localeOfPath, negotiateLocale } from '../i18n/index.js';
import type { Kernel } from '../module.js';
import type { RouteSummary } from './augment.js';
import { inputForSchema, normalise } from '../input/index.js';
import { cspDirectives } from './csp.js';
import { installErrorHandling } from './errors.js';
import { installHealth } from './health.js';
import { pageRenderer, type PageSettings } from './pages.js';
import { clearSessionCookie, csrfCookie, readSessionCookie } from './session-cookie.js';

export interface KernelHttpOptions extends Omit<PageSettings, 'accountPaths'> {
  publicDir: string;
  accountDirectory: () => AccountDirectory | undefined;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);


/**
 * The kernel's HTTP layer, shared by every module: security headers, cookies, body parsers,
 * language and actor resolution, CSRF protection, pages, errors, health and metrics.
 */
export async function registerKernelHttp(app: FastifyInstance, kernel: Kernel, options: KernelHttpOptions) {
  const { config } = kernel;
  app.decorate('kernel', kernel);
  const routeList: RouteSummary[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue; // Fastify adds HEAD beside every GET
      routeList.push({ method, url: route.url, api: route.config?.api === true, multipart: route.config?.multipartForm === true });
    }
  });

  await app.register(fastifyHelmet, {
    // Every response gets this policy; pages replace it with the same policy plus a fresh nonce
    // for their inline script and style (see pages.ts), so only pages pay for the random bytes.
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives },
    // Sent only outside localhost, where TLS is in front (HSTS on plain HTTP would break local use).
    strictTransportSecurity: config.publicUrl.startsWith('https://') ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
  await app.register(fastifyCookie, { secret: config.secret });
  await app.register(fastifyFormbody);
  await app.register(fastifyMultipart, { limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 100 } });
  // Quality 4: near gzip's speed with better ratios; the default (11) costs ~6 ms per page.
  await app.register(fastifyCompress, { threshold: 1024, encodings: ['br', 'gzip'], brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } } });
  const csrf = csrfCookie(config);
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/cookie', cookieKey: csrf.name, cookieOpts: csrf.options });
  await app.register(fastifyStatic, {
    root: path.resolve(options.publicDir),
    prefix: '/assets/',
    preCompressed: true,
    immutable: true,
    maxAge: '365d',
    index: false,
    wildcard: false,
  });

  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('locale', null as never);
  app.decorateRequest('t', null as never);
  app.decorateRequest('authenticatedBy', null);
  app.decorateReply('page', pageRenderer(kernel, { ...options, accountPaths: () => options.accountDirectory()?.paths }));

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    request.actor = anonymous;
    const pathLocale = localeOfPath(request.url);
    request.locale = pathLocale ?? negotiateLocale(request.headers['accept-language']);
    request.t = kernel.messages.forLocale(request.locale);
    // Page routes live under /:locale/...; anything else in that place is not a page.
    if (request.routeOptions.url?.startsWith('/:locale') && !isLocale((request.params as { locale?: string }).locale)) {
      throw new NotFound();
    }
    if (request.routeOptions.config?.anonymousOnly) return;
    await resolveActor(request, reply, kernel, options.accountDirectory());
  });

  app.addHook('preValidation', async (request) => {
    // The JSON API accepts JSON only. This is also its CSRF defence: a cross-site form can send
    // urlencoded, multipart or text bodies with the browser's cookies, but never JSON.
    if (request.routeOptions.config?.api && !safeMethods.has(request.method) && !request.routeOptions.config.multipartForm) {
      const type = request.headers['content-type'];
      const json = !!type && /^application\/(.+\+)?json\b/i.test(type);
      // From a browser session, even a body-less POST must say it is JSON (DELETE cannot come
      // cross-site without a CORS preflight, which Trillium never grants).
      const sessionWithoutJson = !type && request.authenticatedBy === 'session' && request.method !== 'DELETE';
      // Standard APIs whose clients post forms (CKAN) take them without a session only: a cross-site
      // form carries the browser's cookies but can never set an Authorization header.
      const form = !!type && !!request.routeOptions.config.acceptsForms && request.authenticatedBy !== 'session' && /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type);
      if ((type && !json && !form) || sessionWithoutJson) throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(type ?? 'none');
    }
    // JSON bodies are normalised like form posts (trimmed, empty strings dropped) before validation,
    // so an API client sending "" for a required field gets the same "required" message as a form.
    const input = inputForSchema(request.routeOptions.schema?.body);
    if (input && request.body && typeof request.body === 'object') request.body = normalise(input, request.body);
  });

  // Browser forms carry a CSRF token (checked once the body is parsed).
  app.addHook('preHandler', (request, reply, done) => {
    // Upload routes check the token themselves, before streaming the file (kernel/http/multipart.ts).
    if (safeMethods.has(request.method) || request.routeOptions.config?.api || request.routeOptions.config?.multipartForm) return done();
    app.csrfProtection(request, reply, done);
  });

  installErrorHandling(app, () => options.accountDirectory()?.paths.signIn);
  installHealth(app, kernel);
}

async function resolveActor(request: FastifyRequest, reply: FastifyReply, kernel: Kernel, directory: AccountDirectory | undefined) {
  if (!directory) return;
  const db = kernel.database.db;
  const authorization = request.headers.authorization;
  if (authorization) {
    const [scheme, secret] = authorization.split(' ');
    // `Bearer trl_…`, or the bare token as CKAN clients (ckanapi) send it: `Authorization: trl_…`.
    const candidate = scheme?.toLowerCase() === 'bearer' ? secret : secret === undefined && scheme?.startsWith(tokenPrefix) ? scheme : undefined;
    const token = candidate ? await findToken(db, candidate) : null;
    let profile = token?.profile ?? null;
    if (token && !profile) {
      profile = await directory.profile(token.accountId);
      if (profile) await rememberTokenProfile(db, token, profile);
    }
    // A bad or expired token is refused outright rather than treated as anonymous, so clients notice.
    if (!token || !profile?.active) throw new NotAllowed('errors.unauthenticated.body');
    request.actor = { ...profileActor(profile), kind: 'token', scopes: token.scopes, tokenId: token.id };
    request.authenticatedBy = 'token';
    return;
  }
  const cookie = readSessionCookie(request, kernel.config);
  if (!cookie) return;
  const session = await findSession(db, cookie, { idleMinutes: kernel.config.sessionIdleMinutes, absoluteHours: kernel.config.sessionAbsoluteHours });
  let profile = session?.profile ?? null;
  if (session && !profile) {
    profile = await directory.profile(session.accountId);
    if (profile) await rememberProfile(db, session, profile);
  }
  if (!session || !profile?.active) {
    if (session) await endSession(db, session.id);
    clearSessionCookie(reply, kernel.config);
    return;
  }
  request.actor = { ...profileActor(profile), kind: 'account', sessionId: session.id };
  request.authenticatedBy = 'session';
}

function profileActor(profile: AccountProfile): Actor {
  return {
    kind: 'account',
    accountId: profile.accountId,
    displayName: profile.displayName,
    email: profile.email,
    locale: profile.locale,
    superadmin: profile.superadmin,
    memberships: profile.memberships,
    scopes: null,
    sessionId: null,
    tokenId: null,
  };
}
