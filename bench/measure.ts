// Small measuring helpers shared by the benchmark's phases.

/** The p-th percentile (0-100) of some timings, by the nearest-rank method. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface Latency {
  p50: number;
  p99: number;
  max: number;
  samples: number;
}

/** Times `run` once per item (after `warmUp` untimed calls), in milliseconds. */
export async function latencyOf<T>(
  items: T[],
  run: (item: T) => unknown,
  warmUp = Math.min(items.length, 200),
): Promise<Latency> {
  for (let i = 0; i < warmUp; i++) await run(items[i]!);
  const times: number[] = [];
  for (const item of items) {
    const t = performance.now();
    await run(item);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: times[times.length - 1]!,
    samples: times.length,
  };
}

/** Peak resident set size of this process so far, in bytes. */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count / ms) * 1000 : Number.NaN;
}
