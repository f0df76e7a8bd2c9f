/**
 * Sizes of the scenarios on generated data, from the environment (`npm run bench` has no per-scenario options):
 * BENCH_USERS, BENCH_SEED, BENCH_SAMPLES. Underscores are allowed as digit separators (1_000_000).
 */
export function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw.replaceAll("_", ""));
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`${name} must be a positive integer, not ${JSON.stringify(raw)}`);
  return n;
}
