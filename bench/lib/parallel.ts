/**
 * The runs at several clients (`--clients`, `--duration`): after a scenario's one-client rounds, every case that says
 * how to run in parallel (`BenchCase.parallel`) is kept busy by N clients at once, each sending its next call as soon as
 * its previous answer is in (a closed loop), for the run's duration per round. SQL cases get N clients of their own
 * (one connection each, opened by the case); HTTP cases are sent by the separate load-generator process over N
 * keep-alive connections. Per round: calls per second (calls ÷ wall time) and p50/p95/p99 of the calls; across rounds
 * the median with the min–max; ratios paired round by round with the baseline at the same number of clients. The
 * cases of a round take turns in an order that rotates from round to round, as in the one-client rounds.
 */
import { performance } from "node:perf_hooks";
import pg from "pg";
import { startLoadGenerator, type LoadGenerator } from "./load.ts";
import { percentile, spread, type Spread } from "./stats.ts";
import type { BenchCase, BenchClient, ParallelWork, RunSettings } from "./types.ts";

export interface LoadRound {
  round: number;
  position: number;
  calls: number;
  wallMs: number;
  opsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface LoadCaseReport {
  name: string;
  transport: string;
  baseline: boolean;
  summary: { opsPerSecond: Spread; p50: Spread; p95: Spread; p99: Spread };
  /** Paired per round with the baseline at the same number of clients; null for the baseline or without one. */
  vsBaseline: { opsPerSecond: Spread; p99: Spread } | null;
  rounds: LoadRound[];
}

export interface LoadReport {
  clients: number;
  durationSeconds: number;
  cases: LoadCaseReport[];
}

interface Entry {
  benchCase: BenchCase;
  baseline: boolean;
}

/** Calls of one case by `clients` clients for `durationMs`: its latencies and the wall time they took. */
type Driver = (durationMs: number) => Promise<{ latencies: number[]; wallMs: number }>;

/** Requests per burst and connection handed to the load generator: enough that the IPC round trip between bursts is noise. */
const HTTP_REQUESTS_PER_CONNECTION = 16;

async function pgDriver(
  open: () => Promise<BenchClient>,
  clients: number,
  signal: AbortSignal,
): Promise<{ drive: Driver; close: () => Promise<void> }> {
  const opened: BenchClient[] = [];
  try {
    for (let i = 0; i < clients; i++) opened.push(await open());
  } catch (error) {
    await Promise.all(opened.map((c) => c.close()));
    throw error;
  }
  const drive: Driver = async (durationMs) => {
    const latencies: number[] = [];
    const start = performance.now();
    const end = start + durationMs;
    await Promise.all(
      opened.map(async (client) => {
        while (performance.now() < end) {
          signal.throwIfAborted();
          const t = performance.now();
          await client.run();
          latencies.push(performance.now() - t);
        }
      }),
    );
    return { latencies, wallMs: performance.now() - start };
  };
  return { drive, close: async () => void (await Promise.all(opened.map((c) => c.close()))) };
}

function httpDriver(
  load: LoadGenerator,
  url: string,
  work: Extract<BenchCase["parallel"], { kind: "http" }>,
  clients: number,
  signal: AbortSignal,
): Driver {
  return async (durationMs) => {
    const latencies: number[] = [];
    let wallMs = 0;
    const end = performance.now() + durationMs;
    while (performance.now() < end) {
      signal.throwIfAborted();
      const requests = Array.from({ length: clients * HTTP_REQUESTS_PER_CONNECTION }, () => work.next());
      const burst = await load.burst(work.url ?? url, clients, requests, work.check);
      latencies.push(...burst.latenciesMs);
      wallMs += burst.wallMs;
    }
    return { latencies, wallMs };
  };
}

function roundOf(round: number, position: number, latencies: number[], wallMs: number): LoadRound {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    round,
    position,
    calls: sorted.length,
    wallMs,
    opsPerSecond: (sorted.length * 1000) / wallMs,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
  };
}

/**
 * Runs every case of `entries` that has `parallel` at each number of clients of the settings; returns one report per
 * number of clients (none when no case runs in parallel or no numbers are set).
 */
export async function measureAtClients(
  entries: readonly Entry[],
  settings: RunSettings,
  graphqlUrl: string,
  signal: AbortSignal,
  progress: (line: string) => void,
): Promise<LoadReport[]> {
  const parallel = entries.filter((e) => e.benchCase.parallel);
  if (parallel.length === 0 || settings.clients.length === 0) return [];
  const needsHttp = parallel.some((e) => e.benchCase.parallel?.kind === "http");
  const load = needsHttp ? await startLoadGenerator() : null;
  const durationMs = settings.durationSeconds * 1000;
  const reports: LoadReport[] = [];
  try {
    for (const clients of settings.clients) {
      const drivers: Array<{ entry: Entry; drive: Driver; close: () => Promise<void> }> = [];
      try {
        for (const entry of parallel) {
          const work = entry.benchCase.parallel!;
          if (work.kind === "pg") {
            drivers.push({ entry, ...(await pgDriver(() => work.open(), clients, signal)) });
          } else {
            drivers.push({
              entry,
              drive: httpDriver(load!, graphqlUrl, work, clients, signal),
              close: async () => undefined,
            });
          }
        }
        progress(`  ${clients} clients: warm-up`);
        for (const d of drivers) await d.drive(Math.min(1000, durationMs / 2));
        const rounds = new Map<Entry, LoadRound[]>(drivers.map((d) => [d.entry, []]));
        for (let round = 0; round < settings.rounds; round++) {
          const k = round % drivers.length;
          const order = [...drivers.slice(k), ...drivers.slice(0, k)];
          const line: string[] = [];
          for (const [position, d] of order.entries()) {
            const { latencies, wallMs } = await d.drive(durationMs);
            const r = roundOf(round, position, latencies, wallMs);
            rounds.get(d.entry)!.push(r);
            line.push(`${d.entry.benchCase.name} ${r.opsPerSecond.toFixed(0)}/s p99 ${r.p99.toFixed(2)}`);
          }
          progress(`  ${clients} clients, round ${round + 1}/${settings.rounds}: ${line.join(", ")}`);
        }
        const baselineRounds = [...rounds.entries()].find(([entry]) => entry.baseline)?.[1] ?? null;
        reports.push({
          clients,
          durationSeconds: settings.durationSeconds,
          cases: drivers.map(({ entry }) => {
            const mine = rounds.get(entry)!;
            const paired =
              baselineRounds && !entry.baseline
                ? mine.map((r) => ({ mine: r, base: baselineRounds.find((b) => b.round === r.round)! }))
                : null;
            return {
              name: entry.benchCase.name,
              transport: entry.benchCase.transport,
              baseline: entry.baseline,
              summary: {
                opsPerSecond: spread(mine.map((r) => r.opsPerSecond)),
                p50: spread(mine.map((r) => r.p50)),
                p95: spread(mine.map((r) => r.p95)),
                p99: spread(mine.map((r) => r.p99)),
              },
              vsBaseline: paired
                ? {
                    opsPerSecond: spread(paired.map((p) => p.mine.opsPerSecond / p.base.opsPerSecond)),
                    p99: spread(paired.map((p) => p.mine.p99 / p.base.p99)),
                  }
                : null,
              rounds: mine,
            };
          }),
        });
      } finally {
        for (const d of drivers) await d.close();
      }
    }
  } finally {
    await load?.close();
  }
  return reports;
}

/**
 * ParallelWork for SQL cases: every client its own connection to `url`, each call `call(client)`. A case's sample
 * cursor lives in `call`'s closure, so its clients share it and walk the samples between them.
 */
export function pgClients(url: string, call: (client: pg.Client) => Promise<void>): ParallelWork {
  return {
    kind: "pg",
    async open() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return { run: () => call(client), close: () => client.end() };
    },
  };
}
