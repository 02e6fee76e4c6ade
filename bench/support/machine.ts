/** The machine a benchmark ran on, printed with every result so figures can be compared. */
import fs from 'node:fs';
import os from 'node:os';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memory: string;
  node: string;
  platform: string;
}

export function machine(): Machine {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const line = fs
      .readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) cpuModel = line.split(':')[1]!.trim();
  } catch {
    // not Linux: os.cpus() is good enough
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export function describeMachine(m: Machine, postgres: string): string[] {
  return [
    `CPU: ${m.cpus} × ${m.cpuModel}`,
    `Memory: ${m.memory}`,
    `Node.js: ${m.node} (${m.platform})`,
    `PostgreSQL: ${postgres}`,
  ];
}
