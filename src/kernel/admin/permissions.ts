import { definePermission } from '../auth/policy.js';
import type { JobView } from '../jobs/index.js';

/** The kernel's own permissions: platform administration is for superadmins only. */
export const kernelPermissions = {
  administer: definePermission('kernel.administer', 'platform:admin', (actor) => actor.superadmin),
  readJob: definePermission<Pick<JobView, 'ownerId'>>(
    'kernel.job.read',
    'jobs:read',
    (actor, job) => actor.superadmin || (!!actor.accountId && job.ownerId === actor.accountId),
  ),
};

/** Token scopes the kernel offers (modules add theirs). */
export const kernelScopes = [
  { id: 'platform:admin', labelKey: 'scopes.platformAdmin' },
  { id: 'jobs:read', labelKey: 'scopes.jobsRead' },
];
