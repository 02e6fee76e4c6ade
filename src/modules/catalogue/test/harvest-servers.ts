import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { sharedCatalogueData } from './dcat-shacl.js';

/**
 * Small local HTTP servers for harvest tests (the machine has no internet): a CKAN Action API
 * `package_search` over real CKAN package dicts, and a static server for DCAT JSON-LD files.
 * They listen on 127.0.0.1 only, on a port the system picks.
 */
export interface LocalServer {
  url: string;
  /** Every request received, in order. */
  requests: URL[];
  close(): Promise<void>;
}

export async function startServer(handler: (url: URL, response: http.ServerResponse) => void | Promise<void>): Promise<LocalServer> {
  const requests: URL[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    void Promise.resolve(handler(url, response)).catch((error: unknown) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (taken, then released), for "the source is down". */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The real CKAN package dicts of open.canada.ca's samples (ckanext-canada, MIT, Crown copyright). */
export function samplePackages(): Array<Record<string, unknown>> {
  return fs
    .readFileSync(path.join(sharedCatalogueData, 'ckanext-canada/obd_sample_2.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export interface CkanServer extends LocalServer {
  /** The packages served, in `metadata_created` order; change them between harvests. */
  packages: Array<Record<string, unknown>>;
  /** Answer every request with this HTTP status instead (500: a broken source). */
  failWith: number | null;
}

/**
 * CKAN's `package_search` as CKAN answers it: the `{help, success, result}` envelope, `count` and
 * `results`, `rows` capped (like CKAN's `ckan.search.rows_max`, here small so that paging shows).
 */
export async function startCkanServer(packages: Array<Record<string, unknown>>, options: { maxRows?: number } = {}): Promise<CkanServer> {
  const maxRows = options.maxRows ?? 1000;
  const state = { packages, failWith: null as number | null };
  const server = await startServer((url, response) => {
    if (state.failWith) {
      response.statusCode = state.failWith;
      response.end('failure');
      return;
    }
    response.setHeader('content-type', 'application/json;charset=utf-8');
    if (url.pathname !== '/api/3/action/package_search') {
      response.statusCode = 404;
      response.end(JSON.stringify({ help: 'package_search', success: false, error: { __type: 'Not Found Error', message: 'Not found' } }));
      return;
    }
    const rows = Math.min(Number(url.searchParams.get('rows') ?? 10), maxRows);
    const start = Number(url.searchParams.get('start') ?? 0);
    const results = state.packages.slice(start, start + rows);
    response.end(JSON.stringify({ help: `${url.origin}/api/3/action/help_show?name=package_search`, success: true, result: { count: state.packages.length, sort: url.searchParams.get('sort'), results, facets: {}, search_facets: {} } }));
  });
  return {
    url: server.url,
    requests: server.requests,
    close: server.close,
    get packages() {
      return state.packages;
    },
    set packages(value: Array<Record<string, unknown>>) {
      state.packages = value;
    },
    get failWith() {
      return state.failWith;
    },
    set failWith(value: number | null) {
      state.failWith = value;
    },
  };
}

/** Serves files by path, with their content types. */
export async function startFileServer(files: Record<string, { body: string; type: string }>): Promise<LocalServer> {
  return startServer((url, response) => {
    const file = files[url.pathname];
    if (!file) {
      response.statusCode = 404;
      response.end('not found');
      return;
    }
    response.setHeader('content-type', file.type);
    response.end(file.body);
  });
}

/** The official DCAT-AP 3.0.1 example files, unmodified. */
export function dcatExample(file: string): string {
  return fs.readFileSync(path.join(sharedCatalogueData, 'dcat-ap-3.0.1/examples', file), 'utf8');
}
