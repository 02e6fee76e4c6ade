import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isStaff } from '../auth/policy.js';
import { contrastWithWhite } from '../config/index.js';
import { Conflict, InputError, RateLimited, type FieldError } from '../errors/index.js';
import { alternateUrl, otherLocale, type Locale } from '../i18n/index.js';
import type { Kernel, ModuleLink } from '../module.js';
import { withoutImpliedRoles } from '../auth/roles.js';
import { eventKey, formatDate, type AssetManifest } from '../views/index.js';
import type { ActionContext } from '../audit/index.js';
import { cspWithNonce } from './csp.js';

export interface PageOptions {
  status?: number;
}

/** Where the account pages are, as told by the module that owns accounts. */
export interface AccountPaths {
  signIn: string;
  signOut: string;
  account: string;
}

export interface PageSettings {
  assets: AssetManifest;
  links: ModuleLink[];
  accountPaths: () => AccountPaths | undefined;
}

/** What every action needs from a request: who is acting and which request it is (for the audit log). */
export function contextOf(request: FastifyRequest): ActionContext {
  const userAgent = request.headers['user-agent'];
  return { actor: request.actor, requestId: request.id, client: { ip: request.ip, ...(userAgent ? { userAgent } : {}) } };
}

/** A darker shade of the brand colour for borders and hover states. */
function shade(hex: string, factor = 0.55): string {
  const c = (i: number) => Math.round(parseInt(hex.slice(i, i + 2), 16) * factor).toString(16).padStart(2, '0');
  return `#${c(1)}${c(3)}${c(5)}`;
}

/** Installs `reply.page()`: the layout's shared context, built once per render. */
export function pageRenderer(kernel: Kernel, settings: PageSettings) {
  const { config } = kernel;
  const brandShade = shade(config.brandColour);
  // The brand colour comes from configuration (validated as #rrggbb at start-up), so it is safe in CSS.
  const themeCss = `:root{--govuk-brand-colour:${config.brandColour};--govuk-link-colour:${config.brandColour};--govuk-link-hover-colour:${brandShade};--trl-brand-shade:${brandShade}}`;
  if (contrastWithWhite(brandShade) < 4.5) throw new Error('Brand shade lost contrast');
  const asset = (name: string) => `/assets/${settings.assets[name] ?? name}`;

  return function page(this: FastifyReply, template: string, data: Record<string, unknown> = {}, options: PageOptions = {}) {
    const request = this.request;
    const locale = request.locale;
    const actor = request.actor;
    const nonce = randomBytes(16).toString('base64');
    this.header('content-security-policy', cspWithNonce(nonce));
    // One token per page: on a first visit (no CSRF cookie yet) each call would make a new secret
    // and cookie, and a page with two forms (e.g. a module's page footer) would break the first.
    let csrf: string | undefined;
    const context = {
      ...data,
      locale,
      otherLocale: otherLocale(locale),
      alternateUrl: alternateFor(this, typeof data['alternatePath'] === 'string' ? data['alternatePath'] : undefined),
      t: request.t,
      currentPath: request.url.split('?')[0],
      /** The site's public address, for examples people copy (API calls, feeds). */
      publicUrl: config.publicUrl,
      currentUrl: request.url,
      requestId: request.id,
      actor: {
        signedIn: actor.kind === 'account',
        displayName: actor.displayName,
        superadmin: actor.superadmin,
        staff: isStaff(actor),
      },
      // Called by templates that contain a form; sets the CSRF cookie only when needed.
      csrfToken: () => (csrf ??= this.generateCsrf()),
      cspNonce: nonce,
      styleNonce: nonce,
      themeCss,
      asset,
      site: { name: locale === 'fr' ? config.siteNameFr : config.siteNameEn, phase: config.phase },
      links: settings.links,
      /** Date and time in the page's language, for macros (filters need the page's context). */
      formatDateTime: (value: Date | string | null | undefined) => formatDate(value, locale, config.timeZone, true),
      /** A role's name in the page's language, whichever module defined the role. */
      roleLabel: (id: string) => request.t(kernel.access.role(id)?.labelKey ?? id),
      /** Roles as one line ("Administrator"), leaving out those a higher role includes. */
      rolesText: (ids: string[]) => withoutImpliedRoles(ids).map((id) => request.t(kernel.access.role(id)?.labelKey ?? id)).join(', '),
      /** What an audit action means, in the page's language; its code when no module describes it. */
      eventLabel: (action: string) => {
        const text = request.t(eventKey(action));
        return text === eventKey(action) ? action : text;
      },
      /** A message if it exists, otherwise `fallback` (for names a module may or may not describe). */
      messageOr: (key: string, fallback: string) => {
        const text = request.t(key);
        return text === key ? fallback : text;
      },
      accountPaths: settings.accountPaths(),
      navigation: navigationFor(request.url, locale, actor.superadmin, settings.links, request.t),
    };
    const html = kernel.views.render(template, context);
    this.code(options.status ?? this.statusCode ?? 200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('vary', 'Accept-Encoding');
    return this.send(compressPage(html, request.headers['accept-encoding'], this));
  };
}

/**
 * The link to the same page in the other language. For a GET, the same address. A page shown in
 * answer to a POST (a form with errors, a confirmation) has no page of its own at that address in
 * every case, and a language link must never lead to "page not found": it points to the GET page
 * with the same route if there is one (the form itself), otherwise to the nearest page above it
 * (`…/members/:id/remove` → `…/members/:id`). A page can name its own with `alternatePath`
 * (after the locale).
 */
function alternateFor(reply: FastifyReply, alternatePath?: string): string {
  const request = reply.request;
  const other = otherLocale(request.locale);
  if (alternatePath) return `/${other}${alternatePath}`;
  if (request.method === 'GET' || request.method === 'HEAD') return alternateUrl(request.url, other);
  const [path = '/', query] = request.url.split('?');
  const segments = path.split('/');
  const pattern = request.routeOptions.url?.split('/');
  if (!pattern || pattern.length !== segments.length) return alternateUrl(path, other);
  for (let n = segments.length; n > 2; n--) {
    if (reply.server.hasRoute({ method: 'GET', url: pattern.slice(0, n).join('/') })) {
      const target = segments.slice(0, n).join('/');
      return alternateUrl(n === segments.length && query ? `${target}?${query}` : target, other);
    }
  }
  return `/${other}/`;
}

/**
 * Compresses a page in one synchronous call (about 0.1 ms for a typical page), which costs far
 * less than a compression stream per response; the compression plugin then leaves it alone.
 */
function compressPage(html: string, acceptEncoding: string | undefined, reply: FastifyReply): string | Buffer {
  if (html.length < 1024 || !acceptEncoding) return html;
  if (/\bbr\b/.test(acceptEncoding)) {
    reply.header('content-encoding', 'br');
    return zlib.brotliCompressSync(html, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: html.length } });
  }
  if (/\bgzip\b/.test(acceptEncoding)) {
    reply.header('content-encoding', 'gzip');
    return zlib.gzipSync(html, { level: 6 });
  }
  return html;
}

function navigationFor(url: string, locale: Locale, superadmin: boolean, links: ModuleLink[], t: (key: string) => string) {
  const path = url.split('?')[0]!;
  const items = links
    .filter((l) => l.inNavigation)
    .map((l) => ({ href: `/${locale}${l.path}`, text: t(l.titleKey), active: path.startsWith(`/${locale}${l.path}`) }));
  if (superadmin) items.push({ href: `/${locale}/admin`, text: t('layout.admin'), active: path.startsWith(`/${locale}/admin`) });
  return items;
}

/** An error as the error summary and inline messages show it. */
export interface ShownError {
  field: string;
  text: string;
  href: string;
}

/** Turns field errors into translated messages for the error summary and each field. */
export function shownErrors(t: (key: string, params?: Record<string, string | number>) => string, fields: FieldError[]): { errors: ShownError[]; errorMap: Record<string, string> } {
  const errors = fields.map((f) => ({ field: f.field, text: t(f.messageKey, f.params), href: `#${f.field || 'main-content'}` }));
  return { errors, errorMap: Object.fromEntries(errors.map((e) => [e.field, e.text])) };
}

/**
 * Runs a form's action. On `InputError` (or a `Conflict` about one field) the same page is shown
 * again with an error summary, inline messages and the person's input kept; other errors go to the
 * error handler. `secretFields` (passwords) are never sent back to the browser.
 */
export async function handleForm<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  form: {
    template: string;
    data?: Record<string, unknown>;
    secretFields?: string[];
    /** Field a "too many attempts" message is attached to (default: the summary only). */
    rateLimitField?: string;
    /** The submitted values to show again (default: the parsed body; multipart forms pass theirs). */
    values?: () => Record<string, unknown>;
    run: () => Promise<T>;
    done: (result: T) => FastifyReply | Promise<FastifyReply>;
  },
): Promise<FastifyReply> {
  try {
    const result = await form.run();
    return await form.done(result);
  } catch (error) {
    let fields: FieldError[] | undefined;
    let status = 422;
    if (error instanceof InputError) fields = error.fields;
    else if (error instanceof Conflict && error.field) {
      fields = [{ field: error.field, rule: 'conflict', messageKey: error.messageKey, params: error.params }];
      status = 409;
    } else if (error instanceof RateLimited) {
      // Shown on the form itself, so the person keeps their place and knows how long to wait.
      fields = [{ field: form.rateLimitField ?? '', rule: 'rateLimited', messageKey: error.messageKey, params: error.params }];
      status = 429;
      reply.header('retry-after', String(error.retryAfterSeconds));
    }
    if (!fields) throw error;
    const values = { ...(form.values?.() ?? (request.body as Record<string, unknown> | undefined) ?? {}) };
    for (const name of [...(form.secretFields ?? []), '_csrf']) delete values[name];
    return reply.page(form.template, { ...form.data, values, ...shownErrors(request.t, fields) }, { status });
  }
}

/** Redirect after a successful POST (303 so the browser follows with GET). */
export function seeOther(reply: FastifyReply, locale: Locale, path: string): FastifyReply {
  return reply.redirect(`/${locale}${path}`, 303);
}

/**
 * A one-line confirmation shown after a redirect (`?notice=saved`). Only codes the page lists are
 * shown, so a crafted link cannot put arbitrary words on the page.
 */
export function noticeFrom(request: FastifyRequest, allowed: Record<string, string>): string | undefined {
  const code = (request.query as Record<string, unknown> | undefined)?.['notice'];
  const key = typeof code === 'string' ? allowed[code] : undefined;
  return key ? request.t(key) : undefined;
}

/** Links for the govuk pagination component, keeping the page's other query parameters. */
export function pagination(query: Record<string, unknown>, page: number, total: number, perPage: number) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages <= 1) return null;
  const link = (n: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (k !== 'page' && v !== undefined && v !== '') params.set(k, String(v));
    params.set('page', String(n));
    return `?${params}`;
  };
  return { previous: page > 1 ? link(page - 1) : null, next: page < pages ? link(page + 1) : null, pageNumber: page, pages };
}

/** The API's `next` link: the same address with `offset` moved on by `limit`, or null on the last page. */
export function nextPageLink(request: FastifyRequest, offset: number, limit: number, total: number): string | null {
  if (offset + limit >= total) return null;
  const [path, query] = request.url.split('?');
  const params = new URLSearchParams(query ?? '');
  params.set('offset', String(offset + limit));
  params.set('limit', String(limit));
  return `${path}?${params}`;
}
