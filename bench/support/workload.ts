/**
 * What a benchmark workload is: a file `bench/<name>.ts` exporting a one-line `description` and a
 * `run(options)` function. `bench/run.ts` finds workloads by listing that folder, so adding one is
 * adding a file.
 */
export interface Workload {
  /** One line, shown by `npm run bench` when listing workloads. */
  description: string;
  /** Runs the workload and prints its results; rejects when the benchmark itself failed. */
  run(options: BenchOptions): Promise<void>;
}

/**
 * Settings shared by workloads, from command-line flags (Trillium reads no environment variable
 * outside its configuration module):
 *
 *   --connections=50      concurrent connections
 *   --warmup=3            seconds of load before measuring (discarded)
 *   --duration=10         seconds measured per case
 *   --postgres=URL        PostgreSQL server for scratch databases (default postgres://postgres@127.0.0.1:5432/postgres)
 *   --no-postgres         skip the PostgreSQL rows
 *   --no-pglite           skip the PGlite rows (where a workload has both)
 *   --cpu-prof=DIR        write a V8 CPU profile of each server process into DIR
 *   --datasets=100000     catalogue datasets generated for the search workload
 *   --rows=10000000       rows of the CSV the catalogue workload loads into the datastore
 */
export interface BenchOptions {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Admin connection used to create and drop scratch databases; null skips PostgreSQL. */
  postgresUrl: string | null;
  /** False skips the PGlite rows of workloads that have both databases. */
  pglite: boolean;
  cpuProfileDir: string | null;
  /** Datasets generated for the catalogue search workload. */
  datasets: number;
  /** Rows of the CSV the datastore workload loads. */
  rows: number;
}

export type LoadSettings = Pick<BenchOptions, 'connections' | 'warmupSeconds' | 'durationSeconds'>;

export const defaultPostgresUrl = 'postgres://postgres@127.0.0.1:5432/postgres';

export const optionsHelp = [
  '--connections=50   concurrent connections',
  '--warmup=3         seconds of load before measuring (discarded)',
  '--duration=10      seconds measured per case',
  `--postgres=URL     PostgreSQL server for scratch databases (default ${defaultPostgresUrl})`,
  '--no-postgres      skip the PostgreSQL rows',
  '--no-pglite        skip the PGlite rows (catalogue)',
  '--cpu-prof=DIR     write a V8 CPU profile of each server process into DIR',
  '--datasets=100000  datasets generated for the catalogue workload (search)',
  '--rows=10000000    rows of the CSV the catalogue workload loads into the datastore',
];

export function parseOptions(flags: readonly string[]): BenchOptions {
  const options: BenchOptions = {
    connections: 50,
    warmupSeconds: 3,
    durationSeconds: 10,
    postgresUrl: defaultPostgresUrl,
    pglite: true,
    cpuProfileDir: null,
    datasets: 100_000,
    rows: 10_000_000,
  };
  const positive = (name: string, raw: string | undefined, allowZero = false) => {
    const value = Number(raw);
    if (
      raw === undefined ||
      raw === '' ||
      !Number.isFinite(value) ||
      value < 0 ||
      (!allowZero && value === 0)
    ) {
      throw new Error(
        `--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number (got "${raw ?? ''}")`,
      );
    }
    return value;
  };
  for (const flag of flags) {
    const [name, raw] = flag.replace(/^--/, '').split(/=(.*)/s) as [string, string | undefined];
    if (name === 'connections') options.connections = Math.round(positive(name, raw));
    else if (name === 'warmup') options.warmupSeconds = positive(name, raw, true);
    else if (name === 'duration') options.durationSeconds = positive(name, raw);
    else if (name === 'postgres' && raw) options.postgresUrl = raw;
    else if (name === 'no-postgres') options.postgresUrl = null;
    else if (name === 'no-pglite') options.pglite = false;
    else if (name === 'cpu-prof' && raw) options.cpuProfileDir = raw;
    else if (name === 'datasets') options.datasets = Math.round(positive(name, raw));
    else if (name === 'rows') options.rows = Math.round(positive(name, raw));
    else throw new Error(`Unknown option ${flag}. Options:\n  ${optionsHelp.join('\n  ')}`);
  }
  return options;
}
