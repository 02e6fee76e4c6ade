import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { declarations, type Declarations } from './declarations.js';
import { redact, type Option } from './options.js';

export { declarations } from './declarations.js';
export { contrastWithWhite } from './options.js';

type ValueOf<O> = O extends Option<infer T> ? T : never;

/** The validated, frozen configuration handed to `buildApp` and the CLI. */
export type Config = { readonly [K in keyof Declarations]: ValueOf<Declarations[K]> };

/** One bad key and why, in words an operator can act on. */
export interface ConfigProblem {
  env: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.env} ${p.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates configuration. `env` defaults to the process environment (the only place in
 * Trillium that reads it); `overrides` replace parsed values (tests, CLI flags).
 * Throws `ConfigError` listing every bad key.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<Record<keyof Declarations, unknown>> = {},
): Config {
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, option] of Object.entries(declarations) as [keyof Declarations, Option<unknown>][]) {
    if (key in overrides) {
      values[key] = overrides[key];
      continue;
    }
    const raw = env[option.env];
    try {
      if (raw !== undefined && raw !== '') values[key] = option.parse(raw);
      else if (typeof option.default === 'function') values[key] = (option.default as (v: Record<string, unknown>) => unknown)(values);
      else values[key] = option.default;
    } catch (error) {
      problems.push({ env: option.env, message: (error as Error).message });
    }
  }
  crossChecks(values, problems);
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(values) as Config;
}

function crossChecks(values: Record<string, unknown>, problems: ConfigProblem[]) {
  const production = values['environment'] === 'production';
  if (values['secret'] === undefined) {
    if (production) problems.push({ env: 'TRILLIUM_SECRET', message: 'is required in production (at least 32 random characters)' });
    else if (values['dataDir'] !== undefined) values['secret'] = developmentSecret(String(values['dataDir']));
  }
  if (production && typeof values['publicUrl'] === 'string' && !values['publicUrl'].startsWith('https://')) {
    problems.push({ env: 'TRILLIUM_PUBLIC_URL', message: 'must use https:// in production' });
  }
  if (values['mailTransport'] === 'smtp' && !values['smtpUrl']) {
    problems.push({ env: 'TRILLIUM_SMTP_URL', message: 'is required when TRILLIUM_MAIL_TRANSPORT is smtp' });
  }
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: String(values['timeZone']) });
  } catch {
    problems.push({ env: 'TRILLIUM_TIME_ZONE', message: `must be an IANA time zone such as America/Toronto (got "${String(values['timeZone'])}")` });
  }
}

/** A development secret kept beside the data so sessions survive restarts; never used in production. */
function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    fs.writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}

/** Lines describing the effective configuration with secrets hidden (`trillium config check`). */
export function describeConfig(config: Config): string[] {
  return (Object.entries(declarations) as [keyof Declarations, Option<unknown>][]).map(([key, option]) => {
    const value = config[key];
    const shown = value === undefined ? '(unset)' : option.secret ? '(set, hidden)' : redact(String(value));
    return `${option.env}=${shown}`;
  });
}

/** Markdown reference of every option, generated into docs/reference/config.md. */
export function configReference(): string {
  const rows = (Object.values(declarations) as Option<unknown>[]).map((o) => {
    const def = o.defaultDoc ?? (o.default === undefined || typeof o.default === 'function' ? '—' : `\`${String(o.default)}\``);
    return `| \`${o.env}\` | ${o.type} | ${def} | ${o.description} |`;
  });
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from src/kernel/config/declarations.ts by `npm run docs:config`. Do not edit by hand. -->',
    '',
    'Trillium reads its configuration from environment variables only. Invalid values stop start-up with',
    'one line per bad key. `trillium config check` prints the effective configuration with secrets hidden.',
    '',
    '| variable | type | default | description |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** Whether the public URL points at the local machine (cookies may then be sent without `Secure`). */
export function isLocalUrl(publicUrl: string): boolean {
  const { hostname } = new URL(publicUrl);
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}
