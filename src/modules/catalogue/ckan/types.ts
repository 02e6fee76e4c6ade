import type { FastifyRequest } from 'fastify';
import type { CatalogueDeps } from '../actions/datasets.js';
import type { UploadedFile } from '../actions/resources.js';

/** One call of a CKAN action: its parameters (query string or body, already merged) and context. */
export interface CkanCall {
  request: FastifyRequest;
  params: Record<string, unknown>;
  deps: CatalogueDeps;
  /** The file of a multipart `resource_create` or `resource_update` (field `upload`), already stored. */
  file?: UploadedFile;
}

/** A CKAN action: returns the `result` of the CKAN envelope, or throws. */
export type CkanAction = (call: CkanCall) => Promise<unknown>;
