/**
 * HTTP load from a separate process, for throughput scenarios (PERF.md: the load generator must not share the
 * gateway's event loop, and the gateway runs inside the benchmark process). `startLoadGenerator` forks
 * bench/lib/loadWorker.ts, which sends with autocannon; each `burst` hands it a list of requests to send over N
 * keep-alive connections, each request exactly once, and waits for the answer: the burst's wall time and every
 * request's latency (sub-millisecond floats), both measured in the load generator.
 *
 * The runner times a burst as one iteration: its wall time plus the IPC round trip and autocannon's set-up of the
 * run (histograms, one client per connection), a few milliseconds that the throughput figures leave out. The figures a
 * throughput scenario reports come from `BurstLog`: per case, its bursts in the order they ran, cut into a few blocks
 * of consecutive bursts; per block the requests per second and the p50/p99 of the requests' latencies; across blocks
 * the median with the min–max, and ratios paired block by block with a baseline at the same concurrency.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { percentile, spread, type Spread } from "./stats.ts";

export interface BurstRequest {
  /** The JSON body, already serialised. */
  body: string;
  /** The whole Authorization header, e.g. `Bearer …`. */
  authorization?: string;
  /** What the answer's value at the burst's `check` path must equal; without it, any non-empty string. */
  expect?: string;
}

export interface BurstOrder {
  id: number;
  url: string;
  concurrency: number;
  requests: BurstRequest[];
  /** Path into the JSON answer of a value that must be a non-empty string, e.g. ["data", "currentUser", "rowId"]. */
  check: string[];
}

export type BurstReply =
  { id: number; ok: true; wallMs: number; latenciesMs: number[] } | { id: number; ok: false; error: string };

export interface BurstResult {
  concurrency: number;
  wallMs: number;
  latenciesMs: number[];
}

export interface LoadGenerator {
  /**
   * Sends the requests over `concurrency` connections, each once; rejects when any answer fails its check (an HTTP
   * status other than 2xx, or the value at `check`), or when a request gets no answer.
   */
  burst(url: string, concurrency: number, requests: BurstRequest[], check: string[]): Promise<BurstResult>;
  close(): Promise<void>;
}

export async function startLoadGenerator(): Promise<LoadGenerator> {
  const child: ChildProcess = fork(fileURLToPath(new URL("./loadWorker.ts", import.meta.url)), [], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  const pending = new Map<number, { resolve: (reply: BurstReply) => void; reject: (error: Error) => void }>();
  let exited: Error | null = null;
  child.on("message", (reply: BurstReply) => {
    pending.get(reply.id)?.resolve(reply);
    pending.delete(reply.id);
  });
  child.on("exit", (code, signal) => {
    exited = new Error(`the load generator exited (${signal ?? `code ${code}`})`);
    for (const { reject } of pending.values()) reject(exited);
    pending.clear();
  });
  let nextId = 0;
  return {
    async burst(url, concurrency, requests, check) {
      if (exited) throw exited;
      const order: BurstOrder = { id: nextId++, url, concurrency, requests, check };
      const reply = await new Promise<BurstReply>((resolve, reject) => {
        pending.set(order.id, { resolve, reject });
        child.send(order);
      });
      if (!reply.ok) throw new Error(`a request of the burst failed: ${reply.error}`);
      return { concurrency, wallMs: reply.wallMs, latenciesMs: reply.latenciesMs };
    },
    async close() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.disconnect();
      const timer = setTimeout(() => child.kill(), 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** One block of consecutive bursts of a case. */
interface Block {
  requestsPerSecond: number;
  p50: number;
  p99: number;
}

function block(bursts: readonly BurstResult[]): Block {
  const latencies = bursts.flatMap((b) => b.latenciesMs).sort((a, b) => a - b);
  const wallMs = bursts.reduce((sum, b) => sum + b.wallMs, 0);
  return {
    requestsPerSecond: (latencies.length * 1000) / wallMs,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

/** Cuts `bursts` into `count` runs of consecutive bursts, as equal as can be (fewer when there are fewer bursts). */
function blocks(bursts: readonly BurstResult[], count: number): Block[] {
  const n = Math.min(count, bursts.length);
  return Array.from({ length: n }, (_, k) =>
    block(bursts.slice(Math.floor((k * bursts.length) / n), Math.floor(((k + 1) * bursts.length) / n))),
  );
}

export interface BurstSeries {
  name: string;
  concurrency: number;
  bursts: BurstResult[];
}

const fixed = (digits: number) => (x: number) => x.toFixed(digits);
const ms = (x: number): string => (x >= 100 ? x.toFixed(1) : x.toFixed(2));

function cell(s: Spread, format: (x: number) => string): string {
  return `${format(s.median)} (${format(s.min)}–${format(s.max)})`;
}

/**
 * A Markdown table of requests per second and latency per case, each beside the baseline of its concurrency:
 * `groups` pairs every baseline with the cases measured at its concurrency. Ratios are paired block by block (block k
 * of a case against block k of its baseline, which ran over about the same seconds), then their median and min–max.
 */
export function throughputTable(
  groups: ReadonlyArray<{ baseline: BurstSeries; cases: readonly BurstSeries[] }>,
  blockCount: number,
): string {
  const header = [
    "connections",
    "case",
    "req/s",
    "p50 ms",
    "p99 ms",
    "req/s ÷ baseline",
    "p50 ÷ baseline",
    "p99 ÷ baseline",
  ];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const { baseline, cases } of groups) {
    const base = blocks(baseline.bursts, blockCount);
    for (const series of [baseline, ...cases]) {
      const mine = blocks(series.bursts, blockCount);
      const row = [
        String(series.concurrency),
        series === baseline ? `${series.name} (baseline)` : series.name,
        cell(spread(mine.map((b) => b.requestsPerSecond)), fixed(0)),
        cell(spread(mine.map((b) => b.p50)), ms),
        cell(spread(mine.map((b) => b.p99)), ms),
      ];
      if (series === baseline) {
        row.push("1", "1", "1");
      } else {
        const paired = mine.slice(0, base.length).map((b, k) => ({ mine: b, base: base[k] as Block }));
        row.push(
          cell(spread(paired.map((p) => p.mine.requestsPerSecond / p.base.requestsPerSecond)), fixed(3)),
          cell(spread(paired.map((p) => p.mine.p50 / p.base.p50)), fixed(3)),
          cell(spread(paired.map((p) => p.mine.p99 / p.base.p99)), fixed(3)),
        );
      }
      lines.push(`| ${row.join(" | ")} |`);
    }
  }
  return lines.join("\n");
}
