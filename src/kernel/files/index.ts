import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromBuffer } from 'file-type';
import type { FastifyReply } from 'fastify';
import { InputError } from '../errors/index.js';

/** A stored upload. `key` is opaque; only the store knows where the bytes are. */
export interface StoredFile {
  key: string;
  size: number;
  sha256: string;
  contentType: string;
}

export interface SaveOptions {
  /** The field the file came from, named in errors. */
  field: string;
  /** Content type the client declared (checked against the bytes). */
  declaredType: string;
  /** Content types accepted; text types are checked to be UTF-8 text without NUL bytes. */
  allowedTypes: readonly string[];
  maxBytes: number;
}

/** Where uploads live. Local disk today; an S3-compatible store can implement the same interface. */
export interface FileStore {
  save(stream: Readable, options: SaveOptions): Promise<StoredFile>;
  open(key: string): Readable;
  exists(key: string): Promise<boolean>;
  remove(key: string): Promise<void>;
}

const textTypes = new Set(['text/csv', 'text/plain', 'application/json', 'text/tab-separated-values', 'application/geo+json']);

/** Stores files under a directory, streamed (never whole in memory), with size and type checks. */
export class LocalFileStore implements FileStore {
  constructor(private readonly root: string) {}

  async save(stream: Readable, options: SaveOptions): Promise<StoredFile> {
    const key = `${new Date().toISOString().slice(0, 7)}/${randomUUID()}`;
    const final = this.pathOf(key);
    const temp = `${final}.part`;
    await fs.promises.mkdir(path.dirname(final), { recursive: true });
    const hash = createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > options.maxBytes) {
          callback(InputError.field(options.field, 'maxSize', 'errors.file.tooLarge', { limit: formatBytes(options.maxBytes) }));
          return;
        }
        if (head.length < 4100) head = Buffer.concat([head, chunk.subarray(0, 4100 - head.length)]);
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      // The stream is cut off as soon as it passes the limit: an oversized upload never fills the disk.
      await pipeline(stream, meter, fs.createWriteStream(temp, { mode: 0o600 }));
      if ((stream as Readable & { truncated?: boolean }).truncated) {
        throw InputError.field(options.field, 'maxSize', 'errors.file.tooLarge', { limit: formatBytes(options.maxBytes) });
      }
      if (size === 0) throw InputError.field(options.field, 'empty', 'errors.file.empty');
      const contentType = await checkType(head, options);
      await fs.promises.rename(temp, final);
      return { key, size, sha256: hash.digest('hex'), contentType };
    } catch (error) {
      await fs.promises.rm(temp, { force: true });
      throw error;
    }
  }

  open(key: string): Readable {
    return fs.createReadStream(this.pathOf(key));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await fs.promises.access(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  async remove(key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    if (!/^\d{4}-\d{2}\/[0-9a-f-]{36}$/.test(key)) throw new Error('Invalid file key');
    return path.join(this.root, key);
  }
}

/** Decides the real type from the bytes: binary formats by signature, text by being valid UTF-8. */
async function checkType(head: Buffer, options: SaveOptions): Promise<string> {
  const detected = await fileTypeFromBuffer(head);
  const declared = options.declaredType.split(';')[0]!.trim().toLowerCase();
  if (detected) {
    if (options.allowedTypes.includes(detected.mime)) return detected.mime;
  } else if (textTypes.has(declared) && options.allowedTypes.includes(declared) && looksLikeText(head)) {
    return declared;
  }
  throw InputError.field(options.field, 'type', 'errors.file.type');
}

function looksLikeText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  // A multi-byte character may be cut at the end of the sample; ignore up to 3 trailing bytes.
  for (let cut = 0; cut <= 3 && cut < head.length; cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
      // try a shorter sample
    }
  }
  // Latin-1 text (common in older government CSVs) is still text; the loader detects encodings.
  return !/[\x00-\x08\x0e-\x1f]/.test(head.toString('latin1'));
}

/**
 * Sends a stored file as a download with headers that stop browsers from running it: attachment,
 * no content sniffing, and a sandboxing Content Security Policy.
 */
export function sendFile(reply: FastifyReply, store: FileStore, file: StoredFile, downloadName: string): FastifyReply {
  const safeName = downloadName.replace(/[^\w.\- ]+/g, '_').slice(0, 150) || 'download';
  return reply
    .header('content-type', file.contentType)
    .header('content-length', String(file.size))
    .header('content-disposition', `attachment; filename="${safeName}"; filename*=UTF-8''${encodeURIComponent(downloadName)}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-cache')
    .send(store.open(file.key));
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
