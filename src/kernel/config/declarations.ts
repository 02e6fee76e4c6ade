import path from 'node:path';
import { boolean, colour, integer, oneOf, optionalString, optionalUrl, string, url, type Option } from './options.js';

/**
 * Every configuration option Trillium reads, in one place. Order matters: a default may be computed
 * from options declared above it. `docs/reference/config.md` is generated from this list
 * (`npm run docs:config`), and a test fails when the two differ.
 */
export const declarations = {
  environment: oneOf(['development', 'production', 'test'] as const, {
    env: 'NODE_ENV',
    default: 'development',
    description:
      'Where Trillium runs. `production` requires `TRILLIUM_SECRET` and an HTTPS `TRILLIUM_PUBLIC_URL`, and turns off template reloading.',
  }),
  host: string({ env: 'HOST', default: 'localhost', description: 'Network interface the HTTP server listens on. Use `0.0.0.0` in a container.' }),
  port: integer({ env: 'PORT', min: 0, max: 65535, default: 3000, description: 'TCP port the HTTP server listens on (0 picks a free port).' }),
  publicUrl: url({
    env: 'TRILLIUM_PUBLIC_URL',
    protocols: ['http', 'https'],
    default: (v) => `http://localhost:${String(v['port'])}`,
    defaultDoc: '`http://localhost:<PORT>`',
    description:
      'The address people use to reach Trillium. Used in links sent by email and to decide whether cookies are marked `Secure` (always, unless the host is `localhost`).',
  }),
  trustProxy: boolean({
    env: 'TRILLIUM_TRUST_PROXY',
    default: false,
    description: 'Trust `X-Forwarded-For` and `X-Forwarded-Proto` from a reverse proxy in front of Trillium (needed for correct client addresses in rate limits and the audit log).',
  }),
  logLevel: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, {
    env: 'TRILLIUM_LOG_LEVEL',
    default: 'info',
    description: 'Minimum level of log lines written to standard output (JSON, one line each).',
  }),
  databaseUrl: optionalUrl({
    env: 'DATABASE_URL',
    protocols: ['postgres', 'postgresql'],
    secret: true,
    description:
      'PostgreSQL server to use, e.g. `postgres://trillium@db:5432/trillium`. When unset, Trillium uses the embedded PGlite database in `TRILLIUM_PGLITE_DIR`.',
  }),
  migrateOnStart: boolean({
    env: 'TRILLIUM_MIGRATE_ON_START',
    default: true,
    description:
      'Apply database migrations when `serve` or `worker` starts. Turn off when the application runs as a database role that may not change the schema, and run `trillium migrate` as the owner instead.',
  }),
  databasePoolSize: integer({ env: 'TRILLIUM_DB_POOL_SIZE', min: 1, max: 500, default: 10, description: 'Connections in the pool to the PostgreSQL server (not used with PGlite).' }),
  dataDir: string({ env: 'TRILLIUM_DATA_DIR', default: './data', description: 'Directory for local state: the embedded database, uploaded files and the development secret.' }),
  pgliteDir: string({
    env: 'TRILLIUM_PGLITE_DIR',
    default: (v) => path.join(String(v['dataDir']), 'pglite'),
    defaultDoc: '`<TRILLIUM_DATA_DIR>/pglite`',
    description: 'Directory of the embedded PGlite database, or `memory://` for a throw-away database. One process at a time may use a directory.',
  }),
  filesDir: string({
    env: 'TRILLIUM_FILES_DIR',
    default: (v) => path.join(String(v['dataDir']), 'files'),
    defaultDoc: '`<TRILLIUM_DATA_DIR>/files`',
    description: 'Directory where uploaded files are stored.',
  }),
  uploadMaxBytes: integer({
    env: 'TRILLIUM_UPLOAD_MAX_BYTES',
    min: 1024,
    max: 1024 ** 4,
    default: 1024 ** 3,
    description: 'Largest file accepted for upload, in bytes (default 1 GiB). Larger uploads are refused while streaming, before they fill the disk.',
  }),
  secret: string({
    env: 'TRILLIUM_SECRET',
    minLength: 32,
    secret: true,
    defaultDoc: 'generated on first start into `<TRILLIUM_DATA_DIR>/secret` (development only)',
    description:
      'Secret used to sign cookies and CSRF tokens; at least 32 characters. Required in production, and the same on every replica.',
  }),
  sessionIdleMinutes: integer({ env: 'TRILLIUM_SESSION_IDLE_MINUTES', min: 1, max: 24 * 60, default: 30, description: 'A session ends after this many minutes without a request.' }),
  sessionAbsoluteHours: integer({ env: 'TRILLIUM_SESSION_ABSOLUTE_HOURS', min: 1, max: 24 * 30, default: 12, description: 'A session ends this many hours after sign-in, whatever the activity.' }),
  signInMaxFailures: integer({
    env: 'TRILLIUM_SIGNIN_MAX_FAILURES',
    min: 1,
    max: 100,
    default: 5,
    description: 'Failed sign-ins for one account (within 15 minutes) before each further attempt must wait, doubling the wait each time (up to 15 minutes).',
  }),
  signInMaxFailuresPerAddress: integer({
    env: 'TRILLIUM_SIGNIN_MAX_FAILURES_PER_ADDRESS',
    min: 1,
    max: 10000,
    default: 20,
    description: 'Failed sign-ins from one network address (within 15 minutes) before it must wait, as above.',
  }),
  smtpUrl: optionalUrl({
    env: 'TRILLIUM_SMTP_URL',
    protocols: ['smtp', 'smtps'],
    secret: true,
    description: 'SMTP server for outgoing email, e.g. `smtps://user:password@mail.example.ca:465`.',
  }),
  mailTransport: oneOf(['log', 'smtp'] as const, {
    env: 'TRILLIUM_MAIL_TRANSPORT',
    default: (v) => (v['smtpUrl'] ? 'smtp' : 'log'),
    defaultDoc: '`smtp` when `TRILLIUM_SMTP_URL` is set, otherwise `log`',
    description: '`smtp` sends email through `TRILLIUM_SMTP_URL`; `log` (development) writes each message to the log and to the outbox page for administrators.',
  }),
  mailFrom: string({ env: 'TRILLIUM_MAIL_FROM', default: 'Trillium <no-reply@localhost>', description: 'Sender address of outgoing email.' }),
  jobsEnabled: boolean({
    env: 'TRILLIUM_JOBS',
    default: true,
    description: 'Run background jobs in this process. Turn off on web-only replicas when separate worker processes run them.',
  }),
  jobsConcurrency: integer({ env: 'TRILLIUM_JOBS_CONCURRENCY', min: 1, max: 64, default: 2, description: 'Background jobs run at the same time by one process.' }),
  jobsPollMs: integer({ env: 'TRILLIUM_JOBS_POLL_MS', min: 50, max: 60000, default: 1000, description: 'How often an idle worker looks for new jobs, in milliseconds.' }),
  siteNameEn: string({ env: 'TRILLIUM_SITE_NAME_EN', default: 'Trillium', description: 'Name shown in the header and page titles in English.' }),
  siteNameFr: string({ env: 'TRILLIUM_SITE_NAME_FR', default: 'Trillium', description: 'Name shown in the header and page titles in French.' }),
  brandColour: colour({
    env: 'TRILLIUM_BRAND_COLOUR',
    default: '#1d4f5c',
    description: 'Main colour of the header, links and buttons. Must keep a 4.5:1 contrast with white (checked at start-up).',
  }),
  phase: oneOf(['alpha', 'beta', 'live'] as const, { env: 'TRILLIUM_PHASE', default: 'beta', description: 'Service phase shown in the phase banner (`live` hides the banner).' }),
  timeZone: string({ env: 'TRILLIUM_TIME_ZONE', default: 'America/Toronto', description: 'Time zone used to show dates and times (IANA name).' }),
  metricsToken: optionalString({
    env: 'TRILLIUM_METRICS_TOKEN',
    secret: true,
    description: 'When set, `/metrics` requires `Authorization: Bearer <token>`; otherwise it is open (protect it at the proxy).',
  }),
} satisfies Record<string, Option<unknown>>;

export type Declarations = typeof declarations;
