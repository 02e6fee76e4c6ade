/** Whole-machine CPU use from /proc/stat (Linux), to see how busy the machine was during a case. */
import fs from 'node:fs';

export interface CpuTimes {
  busy: number;
  total: number;
}

export function machineCpu(): CpuTimes | null {
  try {
    const [line] = fs.readFileSync('/proc/stat', 'utf8').split('\n');
    const fields = line!.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((sum, v) => sum + v, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** Share of all CPUs busy between two readings (0–1), or null off Linux. */
export function busyShare(from: CpuTimes | null, to: CpuTimes | null): number | null {
  if (!from || !to || to.total === from.total) return null;
  return (to.busy - from.busy) / (to.total - from.total);
}
