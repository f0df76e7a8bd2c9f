/**
 * The generated dataset the scenarios on generated data share: one load per run, sized by BENCH_USERS (`--users` sets
 * it), with the random seed BENCH_SEED. `npm run bench` loads it before its first scenario, with the history when any
 * scenario of the run reads it, so that every scenario of the run (those that make their own accounts too) runs on a
 * database of that size; each scenario's own call then finds it loaded.
 */
import {
  datasetOptions,
  type Dataset,
  type DatasetOptions,
  type GeneratedUser,
} from "../../fixtures/generate/dataset.ts";
import { DEFAULT_HISTORY } from "../../fixtures/generate/history.ts";
import { generateDataset, type LoadReport } from "../../fixtures/generate/load.ts";
import { rngFor } from "../../fixtures/generate/random.ts";
import type { BenchEnvironment } from "./environment.ts";
import { positiveInteger } from "./settings.ts";
import type { Scenario } from "./types.ts";

export function benchDatasetOptions(): DatasetOptions {
  return datasetOptions({
    users: positiveInteger("BENCH_USERS", 1_000_000),
    randomSeed: positiveInteger("BENCH_SEED", 1),
  });
}

/** The run's dataset; `history`: sessions and audit history too (loaded only by the first call of the run). */
export function benchDataset(env: BenchEnvironment, history: boolean): Promise<LoadReport> {
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  return generateDataset(env.root, benchDatasetOptions(), { progress: say, history: history ? DEFAULT_HISTORY : null });
}

/** What the scenarios of a run need: no dataset, accounts only, or accounts with their history. */
export function datasetNeeded(scenarios: readonly Scenario[]): "none" | "accounts" | "history" {
  if (scenarios.some((s) => s.dataset === "history")) return "history";
  return scenarios.some((s) => s.dataset === "accounts") ? "accounts" : "none";
}

/** `count` accounts of the dataset that are not deleted, drawn by the random stream `stream` (the same every run). */
export function sampleLiveUsers(dataset: Dataset, stream: string, count: number): GeneratedUser[] {
  const samples: GeneratedUser[] = [];
  for (let k = 0; samples.length < count && k < count * 20; k++) {
    const user = dataset.user(rngFor(dataset.options.randomSeed, stream, k).int(dataset.options.users));
    if (user.deletedAt === null) samples.push(user);
  }
  return samples;
}
