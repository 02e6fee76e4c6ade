/**
 * Signs in through the real form, like a browser: GET the sign-in page for its CSRF field and
 * cookie, POST the form, keep the session cookie.
 */
export interface BrowserCookies {
  session: string;
  csrf: string;
  /** Value for a `Cookie` header carrying both (as a browser would after signing in). */
  header: string;
}

function cookieValue(setCookies: string[], name: string): string | undefined {
  for (const line of setCookies) {
    const [pair] = line.split(';');
    const index = pair!.indexOf('=');
    if (pair!.slice(0, index).trim() === name) return pair!.slice(index + 1);
  }
  return undefined;
}

export async function signIn(
  baseUrl: string,
  account: { email: string; password: string },
): Promise<BrowserCookies> {
  const page = await fetch(`${baseUrl}/en/sign-in`);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`GET /en/sign-in answered ${page.status}`);
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const csrf = cookieValue(page.headers.getSetCookie(), 'trillium-csrf');
  if (!token || !csrf) throw new Error('The sign-in page has no CSRF field or cookie');

  const response = await fetch(`${baseUrl}/en/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `trillium-csrf=${csrf}` },
    body: new URLSearchParams({ email: account.email, password: account.password, _csrf: token }).toString(),
  });
  await response.arrayBuffer();
  const session = cookieValue(response.headers.getSetCookie(), 'trillium-session');
  if (response.status !== 303 || !session)
    throw new Error(`Sign-in failed: POST /en/sign-in answered ${response.status} without a session cookie`);
  return { session, csrf, header: `trillium-session=${session}; trillium-csrf=${csrf}` };
}
