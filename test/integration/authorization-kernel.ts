import { jobsTable } from '../../src/kernel/jobs/index.js';
import { outbox } from '../../src/kernel/notify/index.js';
import { all, superOnly, type ActorName, type MatrixPart, type World } from '../support/authorization.js';

/** The kernel's routes: assets, operations, the front door and platform administration. */
let residentJob = '';
let outboxId = '';

const failedJob = async (_a: ActorName, w: World) => {
  const [row] = await w.t.database.db.insert(jobsTable).values({ name: 'kernel.purge-expired', payload: {}, status: 'failed', lastError: 'boom' }).returning({ id: jobsTable.id });
  return row!.id;
};

export const kernelPart: MatrixPart = {
  name: 'kernel',
  async setup(w) {
    const [job] = await w.t.database.db.insert(jobsTable).values({ name: 'kernel.purge-expired', payload: {}, ownerId: w.people.resident.id }).returning({ id: jobsTable.id });
    const [message] = await w.t.database.db.insert(outbox).values({ channel: 'email', recipient: 'x@example.test', locale: 'en', subject: 'Hi', body: 'Hello', kind: 'test' }).returning({ id: outbox.id });
    residentJob = job!.id;
    outboxId = message!.id;
  },
  entries: {
  'GET /assets/*': { expect: all(200) },
  'GET /healthz': { expect: all(200) },
  'GET /readyz': { expect: all(200) },
  'GET /metrics': { expect: all(200) },
  'GET /api/openapi.json': { expect: all(200) },
  'GET /': { expect: all(302) },
  'GET /favicon.ico': { expect: all(301) },
  'GET /api/docs': { expect: all(302) },
  'GET /:locale': { expect: all(200) },
  'GET /:locale/accessibility': { expect: all(200) },
  'GET /:locale/privacy': { expect: all(200) },
  'GET /:locale/developers': { expect: all(200) },

  // Platform administration
  'GET /:locale/admin': { expect: superOnly(200, 303) },
  'GET /:locale/admin/audit': { expect: superOnly(200, 303) },
  'GET /:locale/admin/audit/verification': { expect: superOnly(200, 303) },
  'GET /:locale/admin/jobs': { expect: superOnly(200, 303) },
  'GET /:locale/admin/jobs/:id': { expect: superOnly(200, 303), params: { id: () => residentJob } },
  'POST /:locale/admin/jobs/:id/retry': { expect: superOnly(303, 303), params: { id: failedJob } },
  'GET /:locale/jobs/:id': { expect: { ...all(404), anonymous: 303, resident: 200, superadmin: 200 }, params: { id: () => residentJob } },
  'GET /:locale/admin/outbox': { expect: superOnly(200, 303) },
  'GET /:locale/admin/outbox/:id': { expect: superOnly(200, 303), params: { id: () => outboxId } },
  'GET /api/v1/audit': { expect: superOnly(200, 401) },
  'POST /api/v1/audit/verification': { expect: superOnly(200, 401), body: () => ({}) },
  'GET /api/v1/jobs': { expect: superOnly(200, 401) },
  'GET /api/v1/jobs/:id': { expect: { ...all(404), anonymous: 401, resident: 200, superadmin: 200 }, params: { id: () => residentJob } },
  'POST /api/v1/jobs/:id/retry': { expect: superOnly(200, 401), params: { id: failedJob }, body: () => ({}) },
  'GET /api/v1/outbox': { expect: superOnly(200, 401) },

  },
};

