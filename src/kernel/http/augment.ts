import type { Actor } from '../auth/actor.js';
import type { Locale, Translate } from '../i18n/index.js';
import type { Kernel } from '../module.js';
import type { PageOptions } from './pages.js';

/** A registered route: method, URL pattern and whether it is a JSON API route. */
export interface RouteSummary {
  method: string;
  url: string;
  api: boolean;
  /** A file upload (multipart form). */
  multipart: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    kernel: Kernel;
    /** Every route registered, for the authorization matrix and the accessibility sweep. */
    routeList: RouteSummary[];
  }
  interface FastifyRequest {
    /** Who is asking (anonymous until a session or token says otherwise). */
    actor: Actor;
    /** The page's language: from the path (`/fr/...`), else `Accept-Language`. */
    locale: Locale;
    t: Translate;
    /** How the actor was identified; browser sessions need CSRF protection, tokens do not. */
    authenticatedBy: 'session' | 'token' | null;
  }
  interface FastifyReply {
    /** Renders a page inside the layout, with the request's language, actor and CSRF token. */
    page(template: string, data?: Record<string, unknown>, options?: PageOptions): FastifyReply;
  }
  interface FastifyContextConfig {
    /** JSON API route: errors answer problem+json, unsafe methods need JSON or a token (no CSRF form tokens). */
    api?: boolean;
    /** Skip session lookup (static assets, health checks). */
    anonymousOnly?: boolean;
    /** A file upload read with `readMultipartForm`, which checks the CSRF token itself. */
    multipartForm?: boolean;
    /**
     * A standard API (CKAN) whose clients also post urlencoded or multipart forms: accepted from API
     * tokens and anonymous callers, never with a browser session (see plugin.ts).
     */
    acceptsForms?: boolean;
  }
}
