/**
 * Dashboards kept for a few seconds. The figures may lag by up to a minute (issue #4: "figures
 * include events up to one minute old"), so a computed dashboard is reused for `maxAgeMs`; any
 * change of figures made through this process drops them all at once, so people see their own
 * change straight away, and other processes' changes show within `maxAgeMs`. Concurrent requests
 * for the same dashboard share one computation.
 */
export class FiguresCache<T> {
  private generation = 0;
  private readonly entries = new Map<string, { at: number; generation: number; value: Promise<T> }>();

  constructor(
    private readonly maxAgeMs = 20_000,
    private readonly maxEntries = 1000,
  ) {}

  /** Called after every change of events, feedback, counts, costs, standards or services. */
  changed(): void {
    this.generation += 1;
    this.entries.clear();
  }

  get(key: string, compute: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.generation === this.generation && now - hit.at < this.maxAgeMs) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const generation = this.generation;
    const value = compute();
    this.entries.set(key, { at: now, generation, value });
    // A failure is not kept: the next request tries again.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
