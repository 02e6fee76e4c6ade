import type { LightMyRequestResponse } from 'fastify';
import type { App } from '../../src/app.js';

/**
 * A browser-like client for `app.inject`: keeps cookies, reads the CSRF token from the page it
 * came from and posts forms the way a browser does. Nothing is switched off for tests.
 */
export class TestClient {
  readonly cookies = new Map<string, string>();

  constructor(private readonly app: App) {}

  private cookieHeader(): string | undefined {
    return this.cookies.size ? [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') : undefined;
  }

  private remember(response: LightMyRequestResponse) {
    for (const c of response.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const cookie = this.cookieHeader();
    const response = await this.app.inject({ method: 'GET', url, headers: { ...headers, ...(cookie ? { cookie } : {}) } });
    this.remember(response);
    return response;
  }

  /** A CSRF token valid for this client, as a page with a form would give it. */
  async csrfToken(fromPage = '/en/sign-in'): Promise<string> {
    const page = await this.get(fromPage);
    const match = page.body.match(/name="_csrf" value="([^"]+)"/);
    if (!match) throw new Error(`No CSRF token on ${fromPage} (status ${page.statusCode})`);
    return match[1]!;
  }

  /** Posts a form (urlencoded, repeated keys for arrays) with a CSRF token, like a browser. */
  async post(url: string, fields: Record<string, string | string[]> = {}, options: { csrfFrom?: string; csrf?: string | null } = {}): Promise<LightMyRequestResponse> {
    const token = options.csrf === null ? undefined : (options.csrf ?? (await this.csrfToken(options.csrfFrom)));
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    if (token) body.append('_csrf', token);
    const cookie = this.cookieHeader();
    const response = await this.app.inject({
      method: 'POST',
      url,
      payload: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    });
    this.remember(response);
    return response;
  }

  /** A JSON API call with this client's session cookie (or a bearer token). */
  async api(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, token?: string): Promise<LightMyRequestResponse> {
    const cookie = token ? undefined : this.cookieHeader();
    const response = await this.app.inject({
      method,
      url,
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(cookie ? { cookie } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
    this.remember(response);
    return response;
  }

  /** Signs in through the real form. */
  async signIn(email: string, password: string): Promise<LightMyRequestResponse> {
    const response = await this.post('/en/sign-in', { email, password });
    if (response.statusCode !== 303) throw new Error(`Sign-in failed for ${email}: ${response.statusCode}`);
    return response;
  }
}
