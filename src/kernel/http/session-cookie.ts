import type { FastifyReply, FastifyRequest } from 'fastify';
import { isLocalUrl, type Config } from '../config/index.js';

/**
 * The session cookie. Outside localhost it is `__Host-` prefixed and `Secure`: browsers then refuse
 * it over plain HTTP and refuse any attempt by a subdomain to set or shadow it.
 */
export function sessionCookie(config: Pick<Config, 'publicUrl'>) {
  const secure = !isLocalUrl(config.publicUrl);
  return {
    name: secure ? '__Host-trillium-session' : 'trillium-session',
    options: { path: '/', httpOnly: true, sameSite: 'lax' as const, secure },
  };
}

export function csrfCookie(config: Pick<Config, 'publicUrl'>) {
  const secure = !isLocalUrl(config.publicUrl);
  return {
    name: secure ? '__Host-trillium-csrf' : 'trillium-csrf',
    options: { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, signed: true },
  };
}

/** Sets the session cookie after sign-in (a session cookie: it ends when the browser closes). */
export function setSessionCookie(reply: FastifyReply, config: Pick<Config, 'publicUrl'>, token: string): void {
  const cookie = sessionCookie(config);
  reply.setCookie(cookie.name, token, cookie.options);
}

export function clearSessionCookie(reply: FastifyReply, config: Pick<Config, 'publicUrl'>): void {
  const cookie = sessionCookie(config);
  reply.clearCookie(cookie.name, cookie.options);
}

export function readSessionCookie(request: FastifyRequest, config: Pick<Config, 'publicUrl'>): string | undefined {
  return request.cookies[sessionCookie(config).name];
}

/** Network address and browser of a request, for sessions and throttling. */
export function clientOf(request: FastifyRequest): { ip: string; userAgent?: string } {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, ...(userAgent ? { userAgent } : {}) };
}
