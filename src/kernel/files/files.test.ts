import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { deflateSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../errors/index.js';
import { formatBytes, LocalFileStore, sendFile, type SaveOptions } from './index.js';

let root: string;
let store: LocalFileStore;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'trillium-files-'));
  store = new LocalFileStore(root);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const csv: SaveOptions = {
  field: 'file',
  declaredType: 'text/csv; charset=utf-8',
  allowedTypes: ['text/csv'],
  maxBytes: 1000,
};

/** Every file under the store's root (to prove refused uploads leave nothing behind). */
function storedFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(root, full));
    }
  };
  walk(root);
  return out;
}

async function refusal(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A valid 1×1 PNG, built from its chunks. */
function tinyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('LocalFileStore.save', () => {
  it('stores a CSV stream with its size, SHA-256 and type, and streams it back', async () => {
    const content = 'name,nom\nRoad,Route\nBridge,Pont\n';
    const stored = await store.save(
      Readable.from([Buffer.from(content.slice(0, 10)), Buffer.from(content.slice(10))]),
      csv,
    );
    expect(stored.size).toBe(Buffer.byteLength(content));
    expect(stored.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(stored.contentType).toBe('text/csv');
    expect(stored.key).toMatch(/^\d{4}-\d{2}\/[0-9a-f-]{36}$/);
    expect(await store.exists(stored.key)).toBe(true);
    expect((await readAll(store.open(stored.key))).toString()).toBe(content);
    // Stored privately, without the temporary file.
    const file = path.join(root, stored.key);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(storedFiles()).toEqual([stored.key]);
    await store.remove(stored.key);
    expect(await store.exists(stored.key)).toBe(false);
  });

  it('refuses a stream larger than maxBytes with rule maxSize, and leaves no file behind', async () => {
    const chunks = Array.from({ length: 5 }, () => Buffer.from('a,b\n'.repeat(100))); // 2000 bytes
    const error = await refusal(store.save(Readable.from(chunks), csv));
    expect(error.fields).toEqual([
      { field: 'file', rule: 'maxSize', messageKey: 'errors.file.tooLarge', params: { limit: '1000 bytes' } },
    ]);
    expect(storedFiles()).toEqual([]);
  });

  it('accepts exactly maxBytes', async () => {
    const stored = await store.save(Readable.from([Buffer.from('x'.repeat(1000))]), csv);
    expect(stored.size).toBe(1000);
    await store.remove(stored.key);
  });

  it('refuses a stream the multipart parser cut off (truncated)', async () => {
    const stream = Readable.from([Buffer.from('a,b\n')]) as Readable & { truncated?: boolean };
    stream.truncated = true;
    const error = await refusal(store.save(stream, { ...csv, maxBytes: 4 }));
    expect(error.fields[0]).toMatchObject({ rule: 'maxSize', params: { limit: '4 bytes' } });
    expect(storedFiles()).toEqual([]);
  });

  it('refuses an empty file', async () => {
    const error = await refusal(store.save(Readable.from([]), csv));
    expect(error.fields).toEqual([{ field: 'file', rule: 'empty', messageKey: 'errors.file.empty' }]);
    expect(storedFiles()).toEqual([]);
  });

  it('refuses a PNG declared as text/csv, and binary bytes declared as text/csv', async () => {
    const png = await refusal(store.save(Readable.from([tinyPng()]), { ...csv, declaredType: 'text/csv' }));
    expect(png.fields).toEqual([{ field: 'file', rule: 'type', messageKey: 'errors.file.type' }]);
    const binary = Buffer.from([0x41, 0x2c, 0x42, 0x0a, 0x00, 0x01, 0x02, 0x00, 0x7f, 0x10, 0x00, 0x00]);
    expect((await refusal(store.save(Readable.from([binary]), csv))).fields[0]!.rule).toBe('type');
    // Text declared as something that is not allowed is refused too.
    expect(
      (
        await refusal(
          store.save(Readable.from([Buffer.from('a,b\n')]), {
            ...csv,
            declaredType: 'application/octet-stream',
          }),
        )
      ).fields[0]!.rule,
    ).toBe('type');
    expect(storedFiles()).toEqual([]);
  });

  it('accepts a real PNG when image/png is allowed, whatever the declared type', async () => {
    const png = tinyPng();
    const stored = await store.save(Readable.from([png]), {
      field: 'image',
      declaredType: 'image/png',
      allowedTypes: ['image/png'],
      maxBytes: 10_000,
    });
    expect(stored.contentType).toBe('image/png');
    expect(stored.size).toBe(png.length);
    expect(Buffer.compare(await readAll(store.open(stored.key)), png)).toBe(0);
    await store.remove(stored.key);
  });

  it('accepts UTF-8 text cut mid-character at the sample’s end, and Latin-1 text', async () => {
    // The type check reads the first 4100 bytes: put a 2-byte character across that boundary.
    const utf8 = Buffer.concat([Buffer.from('a'.repeat(4099)), Buffer.from('é\n')]);
    const stored = await store.save(Readable.from([utf8]), { ...csv, maxBytes: 10_000 });
    expect(stored.contentType).toBe('text/csv');
    const latin1 = Buffer.from('nom,ville\nHélène,Montréal\n', 'latin1');
    const old = await store.save(Readable.from([latin1]), csv);
    expect(old.contentType).toBe('text/csv');
    await store.remove(stored.key);
    await store.remove(old.key);
  });

  it('refuses keys that are not its own (no path traversal)', async () => {
    for (const key of ['../../etc/passwd', '2024-01/../../x', 'abc', '2024-01/not-a-uuid', '/etc/passwd']) {
      expect(() => store.open(key), key).toThrow('Invalid file key');
      await expect(store.remove(key)).rejects.toThrow('Invalid file key');
      expect(await store.exists(key)).toBe(false);
    }
  });

  it('formatBytes', () => {
    expect(formatBytes(1000)).toBe('1000 bytes');
    expect(formatBytes(1024)).toBe('1 KB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(1024 ** 3)).toBe('1 GB');
  });
});

describe('sendFile', () => {
  it('sends a download that browsers will not run: attachment, nosniff, sandbox CSP', async () => {
    const content = 'a,b\n1,2\n';
    const stored = await store.save(Readable.from([Buffer.from(content)]), csv);
    const app = Fastify();
    app.get('/download', async (_request, reply) =>
      sendFile(reply, store, stored, 'rapport données "2024"\r\nX-Evil: 1.csv'),
    );
    try {
      const response = await app.inject({ method: 'GET', url: '/download' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(content);
      expect(response.headers['content-type']).toBe('text/csv');
      expect(response.headers['content-length']).toBe(String(content.length));
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
      expect(response.headers['cache-control']).toBe('private, no-cache');
      const disposition = String(response.headers['content-disposition']);
      expect(disposition).toBe(
        `attachment; filename="rapport donn_es _2024_X-Evil_ 1.csv"; filename*=UTF-8''${encodeURIComponent('rapport données "2024"\r\nX-Evil: 1.csv')}`,
      );
      expect(response.headers['x-evil']).toBeUndefined();
    } finally {
      await app.close();
      await store.remove(stored.key);
    }
  });
});
