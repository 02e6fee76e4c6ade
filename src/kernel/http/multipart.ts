import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FileStore, StoredFile } from '../files/index.js';
import Tokens from '@fastify/csrf';
import { InputError } from '../errors/index.js';
import { csrfCookie } from './session-cookie.js';

export interface MultipartForm {
  fields: Record<string, string | string[]>;
  /** The uploaded file, if one was chosen. */
  file?: StoredFile & { fileName: string; declaredType: string };
}

export interface MultipartOptions {
  /** The form field holding the file. */
  fileField: string;
  store: FileStore;
  maxBytes: number;
  allowedTypes: readonly string[];
}

/**
 * Reads a multipart form (a file upload) as it streams in. Routes using it set
 * `config: { multipartForm: true }`. From a browser session the CSRF token must be the form's
 * first field, and is checked before a byte of the file is stored; API tokens need none. The file
 * goes straight to the file store, size- and type-checked on the way.
 */
export async function readMultipartForm(request: FastifyRequest, reply: FastifyReply, options: MultipartOptions): Promise<MultipartForm> {
  const needsCsrf = request.authenticatedBy !== 'token';
  const fields: Record<string, string | string[]> = {};
  let file: MultipartForm['file'];
  let first = true;
  for await (const part of request.parts()) {
    if (first && needsCsrf) {
      if (part.type !== 'field' || part.fieldname !== '_csrf') throw csrfError();
      await verifyCsrf(request, reply, String(part.value));
      first = false;
      continue;
    }
    first = false;
    if (part.type === 'field') {
      const value = String(part.value);
      const existing = fields[part.fieldname];
      fields[part.fieldname] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
      continue;
    }
    if (part.fieldname !== options.fileField || !part.filename) {
      part.file.resume(); // not ours, or no file chosen: discard
      continue;
    }
    const stored = await options.store.save(part.file, {
      field: options.fileField,
      declaredType: part.mimetype,
      allowedTypes: options.allowedTypes,
      maxBytes: options.maxBytes,
    });
    file = { ...stored, fileName: part.filename, declaredType: part.mimetype };
  }
  if (first && needsCsrf) throw csrfError();
  return { fields, ...(file ? { file } : {}) };
}

function csrfError() {
  return Object.assign(new Error('Missing CSRF token'), { code: 'FST_CSRF_MISSING_SECRET', statusCode: 403 });
}

// @fastify/csrf's constructor is callable with or without `new`; its types only declare the call.
const tokens = Tokens();

/** The same check as the CSRF plugin: the token must match the secret in this browser's signed cookie. */
async function verifyCsrf(request: FastifyRequest, _reply: FastifyReply, token: string): Promise<void> {
  const cookie = request.cookies[csrfCookie(request.server.kernel.config).name];
  const secret = cookie ? request.unsignCookie(cookie) : undefined;
  if (!secret?.valid || !secret.value || !tokens.verify(secret.value, token)) {
    throw Object.assign(new Error('Invalid CSRF token'), { code: 'FST_CSRF_INVALID_TOKEN', statusCode: 403 });
  }
}

/** Raises the field error a form shows when a required file is missing. */
export function requireFile(form: MultipartForm, field: string, messageKey: string): NonNullable<MultipartForm['file']> {
  if (!form.file) throw InputError.field(field, 'required', messageKey);
  return form.file;
}
