import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, lastEmail, linkIn, pathOf, type TestApp } from '../../../../test/support/app.js';
import { TestClient } from '../../../../test/support/client.js';
import { makeAccount } from './factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('a resident registers, confirms their email and manages their account', () => {
  const email = 'new.resident@example.test';
  const password = 'correct horse battery staple';
  const browser = () => new TestClient(t.app);

  it('registers and is told to check their email; the link arrives through the outbox', async () => {
    const client = browser();
    const response = await client.post('/en/register', { displayName: 'Nouvelle Résidente', email, password, locale: 'fr' }, { csrfFrom: '/en/register' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/en/register/check-email');
    const message = await lastEmail(t.database, email);
    expect(message?.kind).toBe('identity.emails.verify');
    expect(message?.locale).toBe('fr');
    expect(message?.subject).toBe('Confirmez votre adresse courriel');
  });

  it('cannot sign in before confirming the address', async () => {
    const response = await browser().post('/en/sign-in', { email, password });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Confirm your email address first');
  });

  it('confirms the address with the emailed link (a GET shows a button; the POST uses the link up)', async () => {
    const client = browser();
    const link = pathOf(linkIn((await lastEmail(t.database, email))!.body));
    const page = await client.get(link);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Confirmer mon adresse courriel');
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    const confirm = await client.post('/fr/verify-email', { token }, { csrfFrom: link });
    expect(confirm.statusCode).toBe(303);
    expect(confirm.headers.location).toBe('/fr/sign-in?notice=verified');
    // The link is used up: the page now offers a new one, and posting the token again is refused.
    expect((await client.get(link)).body).toContain('Ce lien ne fonctionne plus');
    const again = await client.post('/fr/verify-email', { token }, { csrfFrom: '/fr/sign-in' });
    expect(again.statusCode).toBe(422);
  });

  it('signs in, sees the account page, changes details and password, then signs out', async () => {
    const client = browser();
    const signIn = await client.post('/en/sign-in', { email, password });
    expect(signIn.statusCode).toBe(303);
    const sessionCookie = signIn.cookies.find((c) => c.name === 'trillium-session');
    expect(sessionCookie?.httpOnly).toBe(true);
    expect(sessionCookie?.sameSite).toBe('Lax');

    const account = await client.get('/en/account');
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('Nouvelle Résidente');

    const details = await client.post('/en/account/details', { displayName: 'Nouvelle R.', locale: 'fr' }, { csrfFrom: '/en/account/details' });
    expect(details.statusCode).toBe(303);
    expect(details.headers.location).toBe('/fr/account?notice=saved');

    const wrong = await client.post('/en/account/password', { currentPassword: 'nope', password: 'a brand new passphrase', confirmPassword: 'a brand new passphrase' }, { csrfFrom: '/en/account/password' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('Your current password is not correct');
    expect(wrong.body).not.toContain('a brand new passphrase'); // passwords are never sent back

    const changed = await client.post('/en/account/password', { currentPassword: password, password: 'a brand new passphrase', confirmPassword: 'a brand new passphrase' }, { csrfFrom: '/en/account/password' });
    expect(changed.statusCode).toBe(303);
    expect((await lastEmail(t.database, email))?.kind).toBe('identity.emails.passwordChanged');

    const out = await client.post('/en/sign-out', {}, { csrfFrom: '/en/account' });
    expect(out.statusCode).toBe(303);
    expect((await client.get('/en/account')).statusCode).toBe(303); // back to sign-in
  });

  it('keeps the person’s input and names each field when the form is wrong, in their language', async () => {
    const response = await browser().post('/fr/register', { displayName: 'Ada', email: 'not-an-email', password: 'short' }, { csrfFrom: '/fr/register' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Il y a un problème');
    expect(response.body).toContain('href="#email"');
    expect(response.body).toContain('Entrez une adresse courriel dans le bon format');
    expect(response.body).toContain('Le mot de passe doit compter au moins 12 caractères');
    expect(response.body).toContain('value="Ada"');
    expect(response.body).toContain('value="not-an-email"');
    expect(response.body).not.toContain('value="short"');
    expect(response.body).toMatch(/<title>Erreur :/);
  });

  it('does not reveal whether an address already has an account', async () => {
    const existing = await makeAccount(t.app);
    const response = await browser().post('/en/register', { displayName: 'Someone', email: existing.email, password: 'another long password' }, { csrfFrom: '/en/register' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/en/register/check-email');
    expect((await lastEmail(t.database, existing.email))?.kind).toBe('identity.emails.alreadyRegistered');
  });
});

describe('password reset', () => {
  it('sends a one-time link, sets a new password and ends every session', async () => {
    const person = await makeAccount(t.app);
    const other = new TestClient(t.app);
    await other.signIn(person.email, person.password);

    const client = new TestClient(t.app);
    const request = await client.post('/en/password-reset', { email: person.email }, { csrfFrom: '/en/password-reset' });
    expect(request.headers.location).toBe('/en/password-reset/sent');
    const link = pathOf(linkIn((await lastEmail(t.database, person.email))!.body));
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    const mismatch = await client.post('/en/password-reset/new', { token, password: 'the new password 1', confirmPassword: 'different' }, { csrfFrom: link });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.body).toContain('The passwords do not match');
    const reset = await client.post('/en/password-reset/new', { token, password: 'the new password 1', confirmPassword: 'the new password 1' }, { csrfFrom: link });
    expect(reset.statusCode).toBe(303);
    expect((await other.get('/en/account')).statusCode).toBe(303); // the other session ended
    await client.signIn(person.email, 'the new password 1');
    const reuse = await client.post('/en/password-reset/new', { token, password: 'yet another password', confirmPassword: 'yet another password' }, { csrfFrom: '/en/password-reset' });
    expect(reuse.statusCode).toBe(422);
  });

  it('answers the same whether or not the address has an account', async () => {
    const client = new TestClient(t.app);
    const response = await client.post('/en/password-reset', { email: 'nobody@example.test' }, { csrfFrom: '/en/password-reset' });
    expect(response.headers.location).toBe('/en/password-reset/sent');
    expect(await lastEmail(t.database, 'nobody@example.test')).toBeUndefined();
  });
});

describe('sign-in protection', () => {
  it('slows down repeated failures for one account, with a clear message', async () => {
    const person = await makeAccount(t.app);
    const client = new TestClient(t.app);
    for (let i = 0; i < t.config.signInMaxFailures; i++) {
      expect((await client.post('/en/sign-in', { email: person.email, password: 'wrong' })).statusCode).toBe(422);
    }
    await client.post('/en/sign-in', { email: person.email, password: 'wrong' });
    const throttled = await client.post('/en/sign-in', { email: person.email, password: person.password });
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers['retry-after']).toBeDefined();
    expect(throttled.body).toContain('too many failed sign-in attempts');
  });

  it('refuses a form post without a valid CSRF token', async () => {
    const person = await makeAccount(t.app);
    const client = new TestClient(t.app);
    const response = await client.post('/en/sign-in', { email: person.email, password: person.password }, { csrf: 'forged' });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('This form has expired');
  });

  it('rotates the session on sign-in', async () => {
    const person = await makeAccount(t.app);
    const client = new TestClient(t.app);
    await client.signIn(person.email, person.password);
    const first = client.cookies.get('trillium-session');
    await client.signIn(person.email, person.password);
    const second = client.cookies.get('trillium-session');
    expect(second).not.toBe(first);
    const stale = new TestClient(t.app);
    stale.cookies.set('trillium-session', first!);
    expect((await stale.get('/en/account')).statusCode).toBe(303);
  });

  it('only returns to same-site paths after sign-in', async () => {
    const person = await makeAccount(t.app);
    const client = new TestClient(t.app);
    const evil = await client.post('/en/sign-in', { email: person.email, password: person.password, returnTo: '//evil.example/x' });
    expect(evil.headers.location).toBe('/en/account');
    const good = await client.post('/en/sign-in', { email: person.email, password: person.password, returnTo: '/en/organizations' });
    expect(good.headers.location).toBe('/en/organizations');
  });
});
