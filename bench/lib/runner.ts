/**
 * Times a prepared scenario. Every case (the baseline among them) first runs `warmup` untimed iterations; then come
 * `rounds` rounds of `iterations` timed calls per case. Within a round the cases take turns call by call (interleave
 * "iteration") or one block after another ("round"), and the order rotates from round to round, so drift of the
 * machine (another tenant on the host, a cache warming, a table growing) falls on every case alike. Comparisons with
 * the baseline are paired: a ratio per round, of figures measured side by side, then the median of those ratios.
 */
import { performance } from "node:perf_hooks";
import type { BenchEnvironment, EnvironmentRecord } from "./environment.ts";
import { measureAtClients, type LoadReport } from "./parallel.ts";
import { STAT_KEYS, roundStats, spread, type RoundStats, type Spread, type StatKey } from "./stats.ts";
import type { BenchCase, PreparedScenario, RunSettings, Scenario, Target } from "./types.ts";

export interface Comparison {
  /** case p50 / baseline p50, per round; its median and min–max. */
  ratioP50: Spread;
  ratioP99: Spread;
  /** case p50 − baseline p50 in ms, per round. */
  deltaP50Ms: Spread;
  deltaP99Ms: Spread;
}

export interface TargetResult {
  target: Target;
  /** The median figure the target is checked against (a delta or a p99 in ms, or a ratio). */
  value: number;
  met: boolean;
}

export interface CaseReport {
  name: string;
  description: string;
  transport: string;
  baseline: boolean;
  /** Each statistic's median across rounds, with the min–max over rounds. */
  summary: Record<StatKey, Spread>;
  /** Calls per second at one client (1000 ÷ the round's mean latency), median and min–max over rounds. */
  opsPerSecond: Spread;
  vsBaseline: Comparison | null;
  targets: TargetResult[];
  rounds: Array<RoundStats & { round: number; position: number; samplesMs: number[] }>;
}

export interface ScenarioReport {
  format: "gatehouse-bench/2";
  scenario: string;
  title: string;
  description: string;
  startedAt: string;
  finishedAt: string;
  settings: RunSettings & { load: string };
  environment: EnvironmentRecord;
  notes: string[];
  cases: CaseReport[];
  /** The runs at several clients, one per number of clients (empty when none ran). */
  atClients: LoadReport[];
}

export type Progress = (line: string) => void;

interface Measured {
  benchCase: BenchCase;
  baseline: boolean;
  rounds: Array<{ round: number; position: number; samples: number[]; stats: RoundStats }>;
}

export const LOAD_NOTE =
  "sequential requests (one in flight) with fetch from the benchmark process itself; acceptable for latency, not for throughput";

async function timeOnce(benchCase: BenchCase, signal: AbortSignal): Promise<number> {
  signal.throwIfAborted();
  await benchCase.beforeEach?.();
  const start = performance.now();
  await benchCase.run();
  return performance.now() - start;
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

function checkTarget(
  target: Target,
  summary: Record<StatKey, Spread>,
  comparison: Comparison | null,
): TargetResult | null {
  if (target.kind === "p99-ms") {
    const value = summary.p99.median;
    return { target, value, met: value < target.maxMs };
  }
  if (!comparison) return null;
  if (target.kind === "delta-p50" || target.kind === "delta-p99") {
    const value = (target.kind === "delta-p50" ? comparison.deltaP50Ms : comparison.deltaP99Ms).median;
    return { target, value, met: value < target.maxMs };
  }
  const value = comparison.ratioP50.median;
  return { target, value, met: value >= target.min && value <= target.max };
}

async function measure(
  prepared: PreparedScenario,
  settings: RunSettings,
  signal: AbortSignal,
  progress: Progress,
): Promise<Measured[]> {
  const measured: Measured[] = [
    ...(prepared.baseline ? [{ benchCase: prepared.baseline, baseline: true, rounds: [] }] : []),
    ...prepared.cases.map((benchCase) => ({ benchCase, baseline: false, rounds: [] })),
  ];
  for (const entry of measured) {
    progress(`  warm-up: ${entry.benchCase.name} × ${settings.warmup}`);
    for (let i = 0; i < settings.warmup; i++) await timeOnce(entry.benchCase, signal);
  }
  for (let round = 0; round < settings.rounds; round++) {
    const order = rotate(measured, round);
    const samples = order.map((): number[] => []);
    const started = performance.now();
    if (settings.interleave === "iteration") {
      for (let i = 0; i < settings.iterations; i++) {
        for (const [position, entry] of order.entries())
          samples[position]?.push(await timeOnce(entry.benchCase, signal));
      }
    } else {
      for (const [position, entry] of order.entries()) {
        for (let i = 0; i < settings.iterations; i++) samples[position]?.push(await timeOnce(entry.benchCase, signal));
      }
    }
    const summary: string[] = [];
    for (const [position, entry] of order.entries()) {
      const stats = roundStats(samples[position] ?? []);
      entry.rounds.push({ round, position, samples: samples[position] ?? [], stats });
      summary.push(`${entry.benchCase.name} ${stats.p50.toFixed(2)}`);
    }
    progress(
      `  round ${round + 1}/${settings.rounds} (${((performance.now() - started) / 1000).toFixed(1)} s), p50 ms: ${summary.join(", ")}`,
    );
  }
  return measured;
}

function compare(entry: Measured, baseline: Measured): Comparison {
  const paired = entry.rounds.map((r) => {
    const base = baseline.rounds.find((b) => b.round === r.round);
    if (!base) throw new Error(`round ${r.round} has no baseline`);
    return { mine: r.stats, base: base.stats };
  });
  return {
    ratioP50: spread(paired.map(({ mine, base }) => mine.p50 / base.p50)),
    ratioP99: spread(paired.map(({ mine, base }) => mine.p99 / base.p99)),
    deltaP50Ms: spread(paired.map(({ mine, base }) => mine.p50 - base.p50)),
    deltaP99Ms: spread(paired.map(({ mine, base }) => mine.p99 - base.p99)),
  };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Sets the scenario up, times it, tears it down (also after a failure) and returns the report. */
export async function runScenario(
  scenario: Scenario,
  env: BenchEnvironment,
  settings: RunSettings,
  signal: AbortSignal,
  progress: Progress,
): Promise<ScenarioReport> {
  const startedAt = new Date().toISOString();
  progress(`${scenario.name}: setting up`);
  const prepared = await scenario.setup(env);
  let measured: Measured[];
  let atClients: LoadReport[];
  try {
    if (prepared.cases.length === 0) throw new Error(`scenario ${scenario.name} has no cases`);
    measured = await measure(prepared, settings, signal, progress);
    /* Before the runs at several clients, whose calls the scenario's own count does not include. */
    await prepared.verify?.(settings.warmup + settings.rounds * settings.iterations);
    atClients = await measureAtClients(measured, settings, `${env.gatewayUrl}/graphql`, signal, progress);
  } finally {
    await prepared.teardown?.();
  }
  const baseline = measured.find((m) => m.baseline) ?? null;
  const cases = measured.map((entry): CaseReport => {
    const summary = Object.fromEntries(
      STAT_KEYS.map((key) => [key, spread(entry.rounds.map((r) => r.stats[key]))]),
    ) as Record<StatKey, Spread>;
    const vsBaseline = baseline && !entry.baseline ? compare(entry, baseline) : null;
    const declared = entry.benchCase.target === undefined ? [] : [entry.benchCase.target].flat();
    const targets = declared
      .map((t) => checkTarget(t, summary, vsBaseline))
      .filter((t): t is TargetResult => t !== null);
    return {
      name: entry.benchCase.name,
      description: entry.benchCase.description,
      transport: entry.benchCase.transport,
      baseline: entry.baseline,
      summary,
      opsPerSecond: spread(entry.rounds.map((r) => 1000 / r.stats.mean)),
      vsBaseline,
      targets,
      rounds: entry.rounds.map((r) => ({
        ...r.stats,
        round: r.round,
        position: r.position,
        samplesMs: r.samples.map(round3),
      })),
    };
  });
  return {
    format: "gatehouse-bench/2",
    scenario: scenario.name,
    title: scenario.title,
    description: scenario.description,
    startedAt,
    finishedAt: new Date().toISOString(),
    settings: { ...settings, load: LOAD_NOTE },
    environment: env.record,
    notes: prepared.notes ?? [],
    cases,
    atClients,
  };
}
