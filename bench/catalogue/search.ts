/**
 * Catalogue search: CKAN `package_search` and the search page over a large bilingual catalogue,
 * against the same SQL run directly on the database.
 *
 * The catalogue is the demo data grown to `--datasets` datasets (default 100,000; see
 * support/catalogue-data.ts). The query mix uses words from the real service names, in English and
 * French, with and without an organization filter, facets, a second page and a date sort:
 *
 *   (s) package_search   the mix through `GET /api/3/action/package_search` (facets included)
 *   (p) search page      the same words through `GET /en/datasets?q=…` (HTML)
 *   (n) browse           package_search with no text, paged (what harvesters do): facets count
 *                        the whole catalogue
 *   (d) direct           the search's two statements (a page of results; the total and facets)
 *                        run in the server process, no HTTP: the bare-database limit for (s)
 *   (dn) direct browse   the same for (n)
 *
 * Runs on PGlite and on PostgreSQL, each in its own server process; autocannon runs in this one.
 */
import { measure, type LoadCase, type LoadResult } from '../support/load.js';
import { describeMachine, machine } from '../support/machine.js';
import { createScratchDatabase, postgresVersion } from '../support/postgres.js';
import {
  startServer,
  type DirectSearch,
  type ServerProcess,
  type ServerSpec,
} from '../support/server-process.js';
import { fixed, mib, table, thousands } from '../support/table.js';
import type { BenchOptions } from '../support/workload.js';

/** package_search p95 at 50 connections on PostgreSQL, in milliseconds (issue #3). */
const searchP95Target = 50;

/** Words from the real service names (demo/data/service-inventory-sample.csv), both languages. */
const words = [
  'export',
  'permit',
  'heritage',
  'immigration',
  'veterinary',
  'research',
  'licence',
  'benefit',
  'exportation',
  'permis',
  'patrimoine',
  'impôt',
  'aliments',
  'semences',
  'recherche',
  'crédit',
];
/** Organizations with the most services in the sample (their CKAN names). */
const organizations = ['cfia-acia', 'pch', 'cra-arc', 'cbsa-asfc'];

interface MixEntry {
  path: string;
  direct: DirectSearch;
}

/** The query mix: each word plain, filtered by organization with facets asked, page 2, newest first. */
function searchMix(): MixEntry[] {
  const facets = encodeURIComponent(
    JSON.stringify(['organization', 'res_format', 'license_id', 'tags', 'groups']),
  );
  return words.flatMap((word, i) => {
    const q = encodeURIComponent(word);
    const organization = organizations[i % organizations.length]!;
    return [
      {
        path: `/api/3/action/package_search?q=${q}`,
        direct: { q: word, sort: 'relevance', limit: 10, offset: 0, facets: [] },
      },
      {
        path: `/api/3/action/package_search?q=${q}&fq=organization:${organization}&facet.field=${facets}`,
        direct: {
          q: word,
          organizations: [organization],
          sort: 'relevance',
          limit: 10,
          offset: 0,
          facets: ['organization', 'format', 'licence', 'keyword', 'group'],
        },
      },
      {
        path: `/api/3/action/package_search?q=${q}&start=10`,
        direct: { q: word, sort: 'relevance', limit: 10, offset: 10, facets: [] },
      },
      {
        path: `/api/3/action/package_search?q=${q}&sort=metadata_modified%20desc&rows=20`,
        direct: { q: word, sort: 'newest', limit: 20, offset: 0, facets: [] },
      },
    ] satisfies MixEntry[];
  });
}

/** Paging through everything, newest first, as a harvester does. */
function browseMix(): MixEntry[] {
  return Array.from({ length: 20 }, (_, page) => ({
    path: `/api/3/action/package_search?rows=100&start=${page * 100}&sort=metadata_modified%20desc`,
    direct: { sort: 'newest', limit: 100, offset: page * 100, facets: [] },
  }));
}

interface Row {
  id: string;
  name: string;
  database: 'pglite' | 'postgres';
  result: LoadResult;
  peakRss: number;
}

/** Checks, before loading them, that each path answers 200 with results; returns how many each finds. */
async function checkMix(url: string, mix: MixEntry[]): Promise<number[]> {
  const counts: number[] = [];
  for (const entry of mix) {
    const response = await fetch(url + entry.path);
    const body = (await response.json()) as { success?: boolean; result?: { count?: number } };
    if (response.status !== 200 || !body.success)
      throw new Error(`${entry.path} answered ${response.status}`);
    counts.push(body.result?.count ?? 0);
  }
  if (!counts.some((n) => n > 0)) throw new Error('the query mix finds nothing: the catalogue was not grown');
  return counts;
}

async function databaseRows(
  spec: ServerSpec & { mode: 'app' },
  options: BenchOptions,
  log: (line: string) => void,
): Promise<Row[]> {
  log(`  starting the app on ${spec.database} with ${thousands(options.datasets)} datasets…`);
  const server: ServerProcess = await startServer(spec, {
    cpuProfileDir: options.cpuProfileDir,
    timeoutMs: 60 * 60_000,
  });
  try {
    const search = searchMix();
    const browse = browseMix();
    const counts = (await checkMix(server.url, search)).sort((a, b) => a - b);
    await checkMix(server.url, browse);
    log(
      `  the mix's ${counts.length} searches match ${thousands(counts[0]!)} to ${thousands(counts.at(-1)!)} datasets ` +
        `(median ${thousands(counts[Math.floor(counts.length / 2)]!)}): the cost of a search grows with its matches`,
    );
    const json = { accept: 'application/json' };
    const html = { accept: 'text/html', 'accept-encoding': 'br, gzip' };
    const page = (entry: MixEntry) => `/en/datasets?q=${encodeURIComponent(entry.direct.q ?? '')}`;
    const cases: Array<[string, string, LoadCase]> = [
      [
        's',
        'package_search mix (facets)',
        { url: server.url, headers: json, paths: search.map((e) => e.path) },
      ],
      [
        'p',
        'search page /en/datasets?q=',
        { url: server.url, headers: html, paths: search.filter((_, i) => i % 4 === 0).map(page) },
      ],
      [
        'n',
        'package_search browse (no text, rows=100)',
        { url: server.url, headers: json, paths: browse.map((e) => e.path) },
      ],
    ];
    const rows: Row[] = [];
    for (const [id, name, target] of cases) {
      log(`  (${id}) ${name} on ${spec.database}…`);
      const result = await measure(target, options, () => server.resetPeak());
      rows.push({ id, name, database: spec.database, result, peakRss: (await server.usage()).peakRss });
    }
    for (const [id, name, mix] of [
      ['d', 'direct: the same SQL as (s), no HTTP', search],
      ['dn', 'direct: the same SQL as (n), no HTTP', browse],
    ] as const) {
      log(`  (${id}) ${name} on ${spec.database}…`);
      const queries = mix.map((e) => e.direct);
      if (options.warmupSeconds > 0)
        await server.directSearch(queries, options.connections, options.warmupSeconds);
      await server.resetPeak();
      const result = await server.directSearch(queries, options.connections, options.durationSeconds);
      rows.push({ id, name, database: spec.database, result, peakRss: (await server.usage()).peakRss });
    }
    return rows;
  } finally {
    await server.close();
  }
}

export async function run(options: BenchOptions): Promise<void> {
  const log = (line: string) => console.log(line);
  const adminUrl = options.postgresUrl;
  const pg = adminUrl
    ? await postgresVersion(adminUrl)
    : ({ ok: false, reason: 'skipped with --no-postgres' } as const);
  for (const line of describeMachine(machine(), pg.ok ? pg.version : pg.reason)) log(line);
  log(
    `Load: autocannon, ${options.connections} connections, ${options.warmupSeconds} s warm-up then ${options.durationSeconds} s per case; ` +
      `direct cases: ${options.connections} concurrent callers in the server process.`,
  );
  log('');

  const rows = options.pglite
    ? await databaseRows({ mode: 'app', database: 'pglite', datasets: options.datasets }, options, log)
    : [];
  if (pg.ok && adminUrl) {
    const scratch = await createScratchDatabase(adminUrl);
    try {
      rows.push(
        ...(await databaseRows(
          { mode: 'app', database: 'postgres', url: scratch.url, datasets: options.datasets },
          options,
          log,
        )),
      );
    } finally {
      await scratch.drop();
    }
  } else log(`  PostgreSQL rows skipped (${pg.ok ? 'no URL' : pg.reason})`);

  const of = (id: string, database: Row['database']) =>
    rows.find((r) => r.id === id && r.database === database);
  log('');
  log(
    table(
      [
        'case',
        'database',
        'req/s',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'max ms',
        'peak RSS',
        'vs direct',
        'non-2xx/err',
      ],
      rows.map((r) => {
        const direct =
          r.id === 's' || r.id === 'p'
            ? of('d', r.database)
            : r.id === 'n'
              ? of('dn', r.database)
              : undefined;
        return [
          `(${r.id}) ${r.name}`,
          r.database,
          thousands(r.result.requestsPerSecond),
          fixed(r.result.p50),
          fixed(r.result.p95),
          fixed(r.result.p99),
          fixed(r.result.max, 0),
          mib(r.peakRss),
          direct ? fixed(r.result.requestsPerSecond / direct.result.requestsPerSecond, 3) : '1',
          `${r.result.non2xx}/${r.result.errors}`,
        ];
      }),
      ['left', 'left'],
    ),
  );
  log('');
  log('Targets:');
  const pgSearch = of('s', 'postgres');
  if (pgSearch) {
    log(
      `  package_search p95 < ${searchP95Target} ms at ${options.connections} connections on PostgreSQL (${thousands(options.datasets)} datasets): ` +
        `${fixed(pgSearch.result.p95)} ms → ${pgSearch.result.p95 < searchP95Target ? 'met' : 'NOT met'}`,
    );
  } else log('  package_search p95 on PostgreSQL: not measured');
  for (const r of rows.filter((r) => r.result.non2xx || r.result.errors)) {
    log(`WARNING: (${r.id}) ${r.database}: ${r.result.non2xx} non-2xx responses, ${r.result.errors} errors`);
  }
}
