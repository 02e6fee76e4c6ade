import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  configReference,
  contrastWithWhite,
  declarations,
  describeConfig,
  isLocalUrl,
  loadConfig,
} from './index.js';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trillium-config-'));
});
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** loadConfig with an explicit environment (never the process's), data kept in a temp directory. */
const load = (env: Record<string, string | undefined> = {}) =>
  loadConfig({ TRILLIUM_DATA_DIR: dataDir, ...env });

/** The ConfigError thrown for `env`, or a failure when none is. */
function problemsOf(env: Record<string, string | undefined>): ConfigError {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig defaults', () => {
  it('gives every documented default, computed ones from the options before them', () => {
    const config = load();
    expect(config.environment).toBe('development');
    expect(config.host).toBe('localhost');
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.trustProxy).toBe(false);
    expect(config.logLevel).toBe('info');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.databasePoolSize).toBe(10);
    expect(config.dataDir).toBe(dataDir);
    expect(config.pgliteDir).toBe(path.join(dataDir, 'pglite'));
    expect(config.filesDir).toBe(path.join(dataDir, 'files'));
    expect(config.uploadMaxBytes).toBe(1024 ** 3);
    expect(config.sessionIdleMinutes).toBe(30);
    expect(config.sessionAbsoluteHours).toBe(12);
    expect(config.signInMaxFailures).toBe(5);
    expect(config.signInMaxFailuresPerAddress).toBe(20);
    expect(config.smtpUrl).toBeUndefined();
    expect(config.mailTransport).toBe('log');
    expect(config.mailFrom).toBe('Trillium <no-reply@localhost>');
    expect(config.jobsEnabled).toBe(true);
    expect(config.jobsConcurrency).toBe(2);
    expect(config.jobsPollMs).toBe(1000);
    expect(config.brandColour).toBe('#1d4f5c');
    expect(config.phase).toBe('beta');
    expect(config.timeZone).toBe('America/Toronto');
    expect(config.metricsToken).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('computes the public URL from PORT, and paths from TRILLIUM_DATA_DIR', () => {
    const config = load({ PORT: '8080' });
    expect(config.publicUrl).toBe('http://localhost:8080');
  });

  it('writes a development secret into the data directory once and reuses it', () => {
    const first = load();
    expect(first.secret.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dataDir, 'secret');
    expect(fs.readFileSync(file, 'utf8')).toBe(first.secret);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(load().secret).toBe(first.secret);
  });

  it('uses TRILLIUM_SECRET when given and then writes no file', () => {
    const secret = 's'.repeat(40);
    expect(load({ TRILLIUM_SECRET: secret }).secret).toBe(secret);
    expect(fs.existsSync(path.join(dataDir, 'secret'))).toBe(false);
  });

  it('treats an empty variable as unset', () => {
    expect(load({ PORT: '', TRILLIUM_SMTP_URL: '' }).port).toBe(3000);
  });

  it('lets overrides replace values without parsing them', () => {
    const config = loadConfig({ PORT: 'not a number' }, { port: 1234, dataDir });
    expect(config.port).toBe(1234);
  });
});

describe('parsing each option type', () => {
  it('integers: whole numbers within bounds', () => {
    expect(load({ PORT: '0' }).port).toBe(0);
    expect(load({ PORT: '65535' }).port).toBe(65535);
    expect(problemsOf({ PORT: '65536' }).problems).toEqual([
      { env: 'PORT', message: 'must be between 0 and 65535 (got 65536)' },
    ]);
    expect(problemsOf({ PORT: '-1' }).problems[0]!.message).toContain('between 0 and 65535');
    for (const bad of ['abc', '3.5', '1e3', '0x10']) {
      expect(problemsOf({ PORT: bad }).problems[0]).toEqual({
        env: 'PORT',
        message: `must be a whole number (got "${bad}")`,
      });
    }
  });

  it('booleans: true/false, 1/0, yes/no, on/off in any case', () => {
    for (const yes of ['true', 'TRUE', '1', 'yes', 'On'])
      expect(load({ TRILLIUM_JOBS: yes }).jobsEnabled).toBe(true);
    for (const no of ['false', '0', 'No', 'off']) expect(load({ TRILLIUM_JOBS: no }).jobsEnabled).toBe(false);
    expect(problemsOf({ TRILLIUM_JOBS: 'maybe' }).problems).toEqual([
      { env: 'TRILLIUM_JOBS', message: 'must be true or false (got "maybe")' },
    ]);
  });

  it('one-of values: exact names only', () => {
    expect(load({ TRILLIUM_LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    expect(load({ TRILLIUM_PHASE: 'live' }).phase).toBe('live');
    const error = problemsOf({ TRILLIUM_LOG_LEVEL: 'verbose' });
    expect(error.problems[0]!.env).toBe('TRILLIUM_LOG_LEVEL');
    expect(error.problems[0]!.message).toContain(
      'must be one of fatal, error, warn, info, debug, trace, silent',
    );
    expect(problemsOf({ NODE_ENV: 'Production' }).problems[0]!.env).toBe('NODE_ENV');
  });

  it('URLs: allowed protocols only, trailing slashes removed', () => {
    expect(load({ TRILLIUM_PUBLIC_URL: 'https://trillium.example/' }).publicUrl).toBe(
      'https://trillium.example',
    );
    expect(load({ DATABASE_URL: 'postgresql://db.example/trillium' }).databaseUrl).toBe(
      'postgresql://db.example/trillium',
    );
    expect(problemsOf({ TRILLIUM_PUBLIC_URL: 'ftp://x.example' }).problems).toEqual([
      { env: 'TRILLIUM_PUBLIC_URL', message: 'must start with http:// or https://' },
    ]);
    expect(problemsOf({ DATABASE_URL: 'mysql://db/x' }).problems[0]!.env).toBe('DATABASE_URL');
    expect(problemsOf({ TRILLIUM_PUBLIC_URL: 'not a url' }).problems[0]!.message).toBe(
      'must be a URL (got "not a url")',
    );
  });

  it('a URL that cannot be parsed is reported without its password', () => {
    const error = problemsOf({ DATABASE_URL: 'postgres://admin:hunter2@db:99999/x' });
    expect(error.problems[0]!.env).toBe('DATABASE_URL');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('admin:***@');
  });

  it('strings with a minimum length (the secret)', () => {
    expect(problemsOf({ TRILLIUM_SECRET: 'short' }).problems).toEqual([
      { env: 'TRILLIUM_SECRET', message: 'must be at least 32 characters' },
    ]);
  });

  it('colours: #rrggbb with enough contrast against white, stored lower-case', () => {
    expect(load({ TRILLIUM_BRAND_COLOUR: '#0B0C0C' }).brandColour).toBe('#0b0c0c');
    expect(problemsOf({ TRILLIUM_BRAND_COLOUR: 'teal' }).problems[0]!.message).toContain(
      'must be a colour like #1d4f5c',
    );
    expect(problemsOf({ TRILLIUM_BRAND_COLOUR: '#fff' }).problems[0]!.env).toBe('TRILLIUM_BRAND_COLOUR');
    const lowContrast = problemsOf({ TRILLIUM_BRAND_COLOUR: '#ffff00' }).problems[0]!;
    expect(lowContrast.message).toMatch(/contrast of at least 4\.5:1.*#ffff00 has 1\.07:1/);
  });

  it('contrastWithWhite follows WCAG 2.1', () => {
    expect(contrastWithWhite('#000000')).toBeCloseTo(21, 5);
    expect(contrastWithWhite('#ffffff')).toBeCloseTo(1, 5);
    expect(contrastWithWhite('#767676')).toBeGreaterThanOrEqual(4.5); // the classic AA grey
    expect(contrastWithWhite('#777777')).toBeLessThan(4.5);
  });

  it('optional strings', () => {
    expect(load({ TRILLIUM_METRICS_TOKEN: 'abc' }).metricsToken).toBe('abc');
  });
});

describe('ConfigError', () => {
  it('lists every bad key at once, naming the environment variables', () => {
    const error = problemsOf({
      PORT: 'abc',
      TRILLIUM_BRAND_COLOUR: '#ffff00',
      TRILLIUM_JOBS: 'maybe',
      TRILLIUM_TIME_ZONE: 'Mars/Olympus',
    });
    expect(error.name).toBe('ConfigError');
    expect(error.problems.map((p) => p.env)).toEqual([
      'PORT',
      'TRILLIUM_JOBS',
      'TRILLIUM_BRAND_COLOUR',
      'TRILLIUM_TIME_ZONE',
    ]);
    expect(error.message).toMatch(/^Invalid configuration: /);
    for (const env of [
      'PORT must be a whole number',
      'TRILLIUM_BRAND_COLOUR must have a contrast',
      'TRILLIUM_JOBS must be true or false',
      'TRILLIUM_TIME_ZONE must be an IANA time zone',
    ]) {
      expect(error.message).toContain(env);
    }
  });

  it('production requires TRILLIUM_SECRET and an https TRILLIUM_PUBLIC_URL', () => {
    const error = problemsOf({ NODE_ENV: 'production' });
    expect(error.problems).toEqual([
      { env: 'TRILLIUM_SECRET', message: 'is required in production (at least 32 random characters)' },
      { env: 'TRILLIUM_PUBLIC_URL', message: 'must use https:// in production' },
    ]);
    // No development secret is written for a production start.
    expect(fs.existsSync(path.join(dataDir, 'secret'))).toBe(false);
    const http = problemsOf({
      NODE_ENV: 'production',
      TRILLIUM_SECRET: 'x'.repeat(32),
      TRILLIUM_PUBLIC_URL: 'http://trillium.example',
    });
    expect(http.problems.map((p) => p.env)).toEqual(['TRILLIUM_PUBLIC_URL']);
    const ok = load({
      NODE_ENV: 'production',
      TRILLIUM_SECRET: 'x'.repeat(32),
      TRILLIUM_PUBLIC_URL: 'https://trillium.example',
    });
    expect(ok.environment).toBe('production');
    expect(ok.secret).toBe('x'.repeat(32));
  });

  it('the smtp transport requires TRILLIUM_SMTP_URL; setting the URL selects smtp', () => {
    expect(problemsOf({ TRILLIUM_MAIL_TRANSPORT: 'smtp' }).problems).toEqual([
      { env: 'TRILLIUM_SMTP_URL', message: 'is required when TRILLIUM_MAIL_TRANSPORT is smtp' },
    ]);
    const smtp = load({ TRILLIUM_SMTP_URL: 'smtps://u:p@mail.example:465' });
    expect(smtp.mailTransport).toBe('smtp');
    expect(
      load({ TRILLIUM_SMTP_URL: 'smtp://mail.example', TRILLIUM_MAIL_TRANSPORT: 'log' }).mailTransport,
    ).toBe('log');
    expect(problemsOf({ TRILLIUM_SMTP_URL: 'http://mail.example' }).problems[0]!.env).toBe(
      'TRILLIUM_SMTP_URL',
    );
  });

  it('refuses a time zone that is not an IANA name', () => {
    expect(problemsOf({ TRILLIUM_TIME_ZONE: 'Eastern' }).problems).toEqual([
      {
        env: 'TRILLIUM_TIME_ZONE',
        message: 'must be an IANA time zone such as America/Toronto (got "Eastern")',
      },
    ]);
    expect(load({ TRILLIUM_TIME_ZONE: 'America/St_Johns' }).timeZone).toBe('America/St_Johns');
  });
});

describe('describeConfig', () => {
  it('prints one line per option and never a secret', () => {
    const config = load({
      DATABASE_URL: 'postgres://trillium:db-password-123@db.example:5432/trillium',
      TRILLIUM_SMTP_URL: 'smtps://mailer:smtp-password-456@mail.example:465',
      TRILLIUM_SECRET: 'cookie-secret-cookie-secret-cookie-secret',
      TRILLIUM_METRICS_TOKEN: 'metrics-token-789',
      TRILLIUM_PUBLIC_URL: 'https://someone:url-password-000@trillium.example',
    });
    const lines = describeConfig(config);
    expect(lines).toHaveLength(Object.keys(declarations).length);
    const text = lines.join('\n');
    for (const secret of [
      'db-password-123',
      'smtp-password-456',
      'cookie-secret',
      'metrics-token-789',
      'url-password-000',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(lines).toContain('DATABASE_URL=(set, hidden)');
    expect(lines).toContain('TRILLIUM_SMTP_URL=(set, hidden)');
    expect(lines).toContain('TRILLIUM_SECRET=(set, hidden)');
    expect(lines).toContain('TRILLIUM_METRICS_TOKEN=(set, hidden)');
    // Credentials in a non-secret URL are masked too.
    expect(lines).toContain('TRILLIUM_PUBLIC_URL=https://someone:***@trillium.example');
    expect(lines).toContain('PORT=3000');
  });

  it('shows unset options as unset', () => {
    expect(describeConfig(load())).toContain('DATABASE_URL=(unset)');
  });

  it('the generated reference lists every variable', () => {
    const reference = configReference();
    for (const option of Object.values(declarations)) expect(reference).toContain(`\`${option.env}\``);
  });
});

describe('isLocalUrl', () => {
  it('is true only for the local machine', () => {
    expect(isLocalUrl('http://localhost:3000')).toBe(true);
    expect(isLocalUrl('http://127.0.0.1:8080/x')).toBe(true);
    expect(isLocalUrl('http://[::1]:3000')).toBe(true);
    expect(isLocalUrl('https://trillium.example')).toBe(false);
    expect(isLocalUrl('http://localhost.evil.example')).toBe(false);
    expect(isLocalUrl('http://127.0.0.2')).toBe(false);
  });
});
