/** Summary statistics of latency samples (milliseconds). */

export interface RoundStats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

export const STAT_KEYS = ["p50", "p95", "p99", "mean"] as const;
export type StatKey = (typeof STAT_KEYS)[number];

/** The median of several rounds' figures, with the smallest and largest of them. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Percentile of ascending `sorted` by linear interpolation between closest ranks (p in [0, 1]). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error("percentile of no samples");
  const rank = (sorted.length - 1) * p;
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (rank - lower);
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error("spread of no values");
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

export function roundStats(samples: readonly number[]): RoundStats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    mean: sorted.reduce((sum, x) => sum + x, 0) / sorted.length,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  };
}
