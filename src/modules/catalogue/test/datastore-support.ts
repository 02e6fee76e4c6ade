import { Readable } from 'node:stream';
import type { App } from '../../../app.js';
import { system } from '../../../kernel/auth/actor.js';
import { addResource, editResource } from '../actions/resources.js';
import { uploadTypes } from '../actions/resources.js';
import type { Resource } from '../types.js';
import { catalogueDeps } from './factories.js';

/** Test helpers for the datastore: upload a file as a resource, run the load jobs. */
export const systemCtx = { actor: system, requestId: 'test' };

/** The real Ontario CSVs (test/data, CC BY 4.0 and Open Government Licence – Ontario). */
export const ontarioDir = new URL(
  '../../../../test/data/catalogue/ontario-covid-assessment-centres/',
  import.meta.url,
);

async function store(app: App, content: Buffer | string, contentType: string) {
  return app.kernel.files.save(Readable.from([Buffer.from(content)]), {
    field: 'file',
    declaredType: contentType,
    allowedTypes: uploadTypes,
    maxBytes: 1024 * 1024 * 1024,
  });
}

/** Adds an uploaded file to a dataset (as the system actor) and returns the resource. */
export async function uploadResource(
  app: App,
  datasetId: string,
  fileName: string,
  content: Buffer | string,
  contentType = 'text/csv',
): Promise<Resource> {
  const stored = await store(app, content, contentType);
  return addResource(
    catalogueDeps(app),
    systemCtx,
    datasetId,
    { kind: 'upload', nameEn: fileName, nameFr: fileName },
    { ...stored, fileName },
  );
}

/** Replaces a resource's file. */
export async function replaceFile(
  app: App,
  datasetId: string,
  resourceId: string,
  fileName: string,
  content: Buffer | string,
): Promise<Resource> {
  const stored = await store(app, content, 'text/csv');
  return editResource(
    catalogueDeps(app),
    systemCtx,
    datasetId,
    resourceId,
    { kind: 'upload', nameEn: fileName, nameFr: fileName },
    { ...stored, fileName },
  );
}

/** Runs queued jobs (tests do not run them by themselves). */
export async function runJobs(app: App): Promise<number> {
  return app.kernel.jobs.runUntilIdle();
}
