/**
 * Page weight: the bytes a first visit to a page costs, for the HTML and every CSS and JS file it
 * links, both uncompressed and as transferred to a browser sending `Accept-Encoding: br, gzip`.
 * Bodies only (headers not counted), measured on the raw socket so nothing is decoded on the way.
 */
import http from 'node:http';

export interface Resource {
  path: string;
  kind: 'html' | 'css' | 'js' | 'other';
  uncompressed: number;
  transferred: number;
  encoding: string;
  /** Time to fetch the compressed response on 127.0.0.1 (mostly the server's compression time). */
  transferMs: number;
}

export interface PageWeight {
  resources: Resource[];
  /** HTML + CSS + JS. */
  uncompressed: number;
  transferred: number;
}

function get(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: Buffer; encoding: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks),
          encoding: String(response.headers['content-encoding'] ?? 'identity'),
        }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

function kindOf(path: string): Resource['kind'] {
  if (path.endsWith('.css')) return 'css';
  if (path.endsWith('.js') || path.endsWith('.mjs')) return 'js';
  return 'other';
}

async function weigh(
  baseUrl: string,
  path: string,
  kind: Resource['kind'],
  headers: Record<string, string>,
): Promise<Resource> {
  const plain = await get(baseUrl + path, headers);
  const started = process.hrtime.bigint();
  const packed = await get(baseUrl + path, { ...headers, 'accept-encoding': 'br, gzip' });
  const transferMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (plain.status !== 200 || packed.status !== 200)
    throw new Error(`GET ${path} answered ${plain.status}/${packed.status}`);
  return {
    path,
    kind,
    uncompressed: plain.body.length,
    transferred: packed.body.length,
    encoding: packed.encoding,
    transferMs,
  };
}

/** Weighs a page and the stylesheets, scripts and images it references under `/assets/`. */
export async function pageWeight(
  baseUrl: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<PageWeight> {
  const page = await get(baseUrl + path, headers);
  if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}`);
  const html = page.body.toString('utf8');
  const assets = new Set<string>();
  for (const match of html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)) assets.add(match[1]!);

  const resources = [await weigh(baseUrl, path, 'html', headers)];
  for (const asset of assets) resources.push(await weigh(baseUrl, asset, kindOf(asset), {}));
  const counted = resources.filter((r) => r.kind !== 'other');
  return {
    resources,
    uncompressed: counted.reduce((sum, r) => sum + r.uncompressed, 0),
    transferred: counted.reduce((sum, r) => sum + r.transferred, 0),
  };
}
