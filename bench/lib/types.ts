/**
 * What a benchmark scenario is. A scenario prepares its data against the shared environment and hands back the cases
 * to time: at most one baseline and one or more cases compared with it. Every case's `run` is one timed iteration.
 */
import type { BenchEnvironment } from "./environment.ts";

/** A figure the issue asks for. Checked against the median across rounds and reported; never an assertion. */
export type Target =
  /** The case's p50 may exceed the baseline's p50 by at most `maxMs` (paired per round). */
  | { kind: "delta-p50"; maxMs: number; label: string }
  /** The case's p50 divided by the baseline's p50 stays within [min, max] (paired per round). */
  | { kind: "ratio-p50"; min: number; max: number; label: string };

export interface BenchCase {
  /** Short, stable: it names the row in the table and the entry in the JSON. */
  name: string;
  description: string;
  /** How the timed work reaches the server, e.g. "HTTP" or "pg". */
  transport: string;
  target?: Target;
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
}
