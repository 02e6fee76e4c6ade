/**
 * Benchmark runner: `npm run bench -- <workload> [<workload> ...]` runs `bench/<workload>.ts`;
 * `npm run bench` with no argument lists the workloads and runs them all, one after the other.
 * Options (`--duration=10`, …) apply to every workload; see `support/workload.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { optionsHelp, parseOptions, type Workload } from './support/workload.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function availableWorkloads(): string[] {
  return fs
    .readdirSync(here, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isFile() &&
        entry.name.endsWith('.ts') &&
        entry.name !== 'run.ts' &&
        !entry.name.endsWith('.d.ts'),
    )
    .map((entry) => entry.name.slice(0, -'.ts'.length))
    .sort();
}

async function loadWorkload(name: string): Promise<Workload> {
  const module = (await import(pathToFileURL(path.join(here, `${name}.ts`)).href)) as Partial<Workload>;
  if (typeof module.run !== 'function') throw new Error(`bench/${name}.ts does not export a run() function`);
  return { description: module.description ?? '', run: module.run };
}

async function main(argv: string[]): Promise<number> {
  const available = availableWorkloads();
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('Usage: npm run bench -- [workload ...] [options]\n');
    console.log(`Workloads: ${available.join(', ')}\n\nOptions:\n  ${optionsHelp.join('\n  ')}`);
    return 0;
  }
  const requested = argv.filter((a) => !a.startsWith('-'));
  let options;
  try {
    options = parseOptions(argv.filter((a) => a.startsWith('-')));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const unknown = requested.filter((name) => !available.includes(name));
  if (unknown.length) {
    console.error(`Unknown workload${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
    console.error(`Available: ${available.join(', ') || '(none)'}`);
    return 2;
  }

  const names = requested.length ? requested : available;
  if (!requested.length) {
    console.log('Available workloads (run one with `npm run bench -- <name>`):');
    for (const name of available)
      console.log(`  ${name.padEnd(20)} ${(await loadWorkload(name)).description}`);
    console.log(`\nRunning all ${available.length}.\n`);
  }

  for (const name of names) {
    const workload = await loadWorkload(name);
    const started = Date.now();
    console.log(`=== ${name}: ${workload.description}`);
    await workload.run(options);
    console.log(`=== ${name} finished in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
