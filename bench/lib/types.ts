/**
 * What a benchmark scenario is. A scenario prepares its data against the shared environment and hands back the cases
 * to time: at most one baseline and one or more cases compared with it. Every case's `run` is one timed iteration.
 */
import type { BenchEnvironment } from "./environment.ts";
import type { BurstRequest } from "./load.ts";

/** A figure the issue asks for. Checked against the median across rounds and reported; never an assertion. */
export type Target =
  /** The case's p50 may exceed the baseline's p50 by at most `maxMs` (paired per round). */
  | { kind: "delta-p50"; maxMs: number; label: string }
  /** The same at p99: the case's p99 may exceed the baseline's p99 by at most `maxMs` (paired per round). */
  | { kind: "delta-p99"; maxMs: number; label: string }
  /** The case's p50 divided by the baseline's p50 stays within [min, max] (paired per round). */
  | { kind: "ratio-p50"; min: number; max: number; label: string }
  /** The case's own p99 at one client stays under `maxMs` (the design documents' targets are of this kind). */
  | { kind: "p99-ms"; maxMs: number; label: string };

/** One more client doing a case's work on a connection of its own, for the runs at several clients. */
export interface BenchClient {
  /** One call; throws on a wrong answer, like `BenchCase.run`. */
  run(): Promise<void>;
  close(): Promise<void>;
}

/**
 * How a case runs at several clients at once (`--clients`): the runner keeps that many clients busy for `--duration`
 * seconds per round, each sending its next call as soon as its previous answer is in (a closed loop), and reports
 * throughput and latency beside the baseline's at the same number of clients. A case without it runs at one client only
 * (for instance one that resets state before every call).
 */
export type ParallelWork =
  /** SQL work: `open` makes one client with its own connection; the runner opens as many as it needs. */
  | { kind: "pg"; open(): Promise<BenchClient> }
  /**
   * HTTP work, sent by the separate load-generator process (bench/lib/load.ts) over that many keep-alive connections:
   * `next` gives the next request (each is sent once), `check` the path in the JSON answer of a non-empty string.
   */
  | { kind: "http"; next(): BurstRequest; check: string[]; /** Default: the gateway's /graphql. */ url?: string };

export interface BenchCase {
  /** Short, stable: it names the row in the table and the entry in the JSON. */
  name: string;
  description: string;
  /** How the timed work reaches the server, e.g. "HTTP" or "pg". */
  transport: string;
  /** One figure to report as met or missed, or several. */
  target?: Target | Target[];
  /** The same work from several clients at once; see ParallelWork. */
  parallel?: ParallelWork;
  /** Untimed work before every iteration (warm-up included): resetting state the timed call changes. */
  beforeEach?(): Promise<void>;
  /** One timed iteration. Throws when the answer is not the expected one, so a broken setup cannot pass for fast. */
  run(): Promise<void>;
}

export interface PreparedScenario {
  baseline?: BenchCase;
  cases: BenchCase[];
  /** Lines printed under the table: what the figures mean and what they leave out. */
  notes?: string[];
  /**
   * After the last round, before teardown: check from the database's side that every iteration did what its case
   * claims (the audit trail's reason, a row count). Throws when not, so mislabelled figures are never reported.
   * `iterations` is how many calls each case made, warm-up included.
   */
  verify?(iterations: number): Promise<void>;
  teardown?(): Promise<void>;
}

export interface Scenario {
  /** Lower-case with dashes; the command-line name and part of the result file's name. */
  name: string;
  title: string;
  description: string;
  /** The generated dataset it reads (bench/lib/dataset.ts): accounts, or accounts with their history. */
  dataset?: "accounts" | "history";
  setup(env: BenchEnvironment): Promise<PreparedScenario>;
}

export interface RunSettings {
  iterations: number;
  rounds: number;
  warmup: number;
  /**
   * How the cases of a round take turns. "iteration": one call of each case in turn (A B C A B C …), so every case's
   * samples of a round span the same seconds; "round": all of a case's calls, then the next case's (A A … B B …).
   * Either way the order rotates from round to round.
   */
  interleave: "iteration" | "round";
  /** Numbers of clients for the runs at several clients (cases with `parallel` only); empty: none. */
  clients: number[];
  /** Seconds each case runs at each number of clients in each round. */
  durationSeconds: number;
}
