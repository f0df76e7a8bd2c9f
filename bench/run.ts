/**
 * `npm run bench [-- [scenario …] [options]]`: runs the named benchmark scenarios (all of them by default) against a
 * throw-away database and a real gateway, prints one Markdown table per scenario on stdout and writes it, with the
 * JSON behind it, to bench/results/. Progress goes to stderr. See bench/README.md.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { runCli } from "../src/cli/fatal.ts";
import { renderLoadReport } from "../fixtures/generate/report.ts";
import { benchDataset, datasetNeeded } from "./lib/dataset.ts";
import { withBenchEnvironment } from "./lib/environment.ts";
import { fileStamp, renderMarkdown, writeMarkdown, writeResults } from "./lib/report.ts";
import { runScenario } from "./lib/runner.ts";
import type { RunSettings } from "./lib/types.ts";
import { SCENARIOS } from "./scenarios/index.ts";

const RESULTS_DIR = path.join(import.meta.dirname, "results");

const DEFAULTS: RunSettings = {
  iterations: 30,
  rounds: 5,
  warmup: 3,
  interleave: "iteration",
  clients: [4],
  durationSeconds: 2,
};

const USAGE = `usage: npm run bench -- [scenario …] [options]

  scenario            one or more of: ${SCENARIOS.map((s) => s.name).join(", ")} (default: all)
  --iterations, -n N  timed iterations per case and round (default ${DEFAULTS.iterations})
  --rounds, -r N      rounds, at least 3 (default ${DEFAULTS.rounds})
  --warmup, -w N      untimed iterations per case before the first round (default ${DEFAULTS.warmup})
  --interleave MODE   iteration: cases take turns call by call; round: case after case (default ${DEFAULTS.interleave})
  --clients N[,N…]    numbers of clients for the runs at several clients, of the cases that can run so (default
                      ${DEFAULTS.clients.join(",")}; 0: none)
  --duration S        seconds per case, number of clients and round in those runs (default ${DEFAULTS.durationSeconds})
  --users N           accounts in the generated dataset of the scenarios on generated data (default 1,000,000; the
                      same as BENCH_USERS)
  --cost N            bcrypt cost, 4–16 (default: the setting auth.bcrypt_cost, 12); lower it for quick runs only
  --no-save           print the tables without writing bench/results/
  --list              list the scenarios and exit
  --help, -h          this text
`;

function integer(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} must be an integer from ${min} to ${max}, not ${JSON.stringify(value)}`);
  return n;
}

/** `4,16` → [4, 16]; `0` → no runs at several clients. */
function clientCounts(value: string): number[] {
  if (value.trim() === "0") return [];
  const counts = value.split(",").map((part) => integer(part.trim(), "clients", 1, 256)!);
  return [...new Set(counts)].sort((a, b) => a - b);
}

runCli("bench", async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      iterations: { type: "string", short: "n" },
      rounds: { type: "string", short: "r" },
      warmup: { type: "string", short: "w" },
      interleave: { type: "string" },
      clients: { type: "string" },
      duration: { type: "string" },
      users: { type: "string" },
      cost: { type: "string" },
      "no-save": { type: "boolean", default: false },
      list: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (values.list) {
    for (const s of SCENARIOS) process.stdout.write(`${s.name}\t${s.title}\n`);
    return;
  }
  const settings: RunSettings = {
    iterations: integer(values.iterations, "iterations", 1, 100_000) ?? DEFAULTS.iterations,
    rounds: integer(values.rounds, "rounds", 3, 1_000) ?? DEFAULTS.rounds,
    warmup: integer(values.warmup, "warmup", 0, 100_000) ?? DEFAULTS.warmup,
    interleave: DEFAULTS.interleave,
    clients: values.clients === undefined ? DEFAULTS.clients : clientCounts(values.clients),
    durationSeconds: integer(values.duration, "duration", 1, 3_600) ?? DEFAULTS.durationSeconds,
  };
  /* The scenarios on generated data read their size from the environment (bench/lib/settings.ts). */
  const users = integer(values.users?.replaceAll("_", ""), "users", 1, 100_000_000);
  if (users !== undefined) process.env.BENCH_USERS = String(users);
  if (values.interleave !== undefined) {
    if (values.interleave !== "iteration" && values.interleave !== "round")
      throw new Error(`--interleave must be iteration or round, not ${JSON.stringify(values.interleave)}`);
    settings.interleave = values.interleave;
  }
  const cost = integer(values.cost, "cost", 4, 16);
  const unknown = positionals.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length > 0)
    throw new Error(`unknown scenario ${unknown.join(", ")}; known: ${SCENARIOS.map((s) => s.name).join(", ")}`);
  const selected = positionals.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => positionals.includes(s.name));

  /* Ctrl-C or SIGTERM: stop after the current iteration, so the gateway, the database and its folder are removed. */
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write("bench: interrupted; cleaning up (Ctrl-C again to exit at once)\n");
    controller.abort(new Error("interrupted"));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const progress = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };

  const stamp = fileStamp(new Date());
  progress("bench: starting a throw-away PostgreSQL and the gateway");
  await withBenchEnvironment({ bcryptCost: cost }, async (env) => {
    const { bcryptCost, bcryptCostDefault } = env.record;
    progress(
      `bench: bcrypt cost ${bcryptCost}; ${settings.rounds} rounds × ${settings.iterations} iterations, ${settings.warmup} warm-up, ` +
        `interleaved by ${settings.interleave}; at ${settings.clients.length === 0 ? "no more than one client" : `${settings.clients.join(", ")} clients for ${settings.durationSeconds} s per case and round`}`,
    );
    const suffix = bcryptCost === bcryptCostDefault ? "" : `-cost${bcryptCost}`;
    /* The generated dataset first, when a scenario reads it: every scenario of the run then runs at that size. */
    const needed = datasetNeeded(selected);
    if (needed !== "none") {
      progress(
        `bench: generating the dataset${needed === "history" ? " with its history" : ""} (${process.env.BENCH_USERS ?? "1000000"} users)`,
      );
      const loaded = renderLoadReport(await benchDataset(env, needed === "history"));
      process.stdout.write(`${loaded}\n`);
      if (!values["no-save"])
        progress(
          `bench: wrote ${path.relative(process.cwd(), await writeMarkdown(loaded, RESULTS_DIR, stamp, "dataset"))}`,
        );
    }
    for (const scenario of selected) {
      const report = await runScenario(scenario, env, settings, controller.signal, progress);
      process.stdout.write(`${renderMarkdown(report)}\n`);
      if (!values["no-save"]) {
        const files = await writeResults(report, RESULTS_DIR, stamp, suffix);
        progress(`bench: wrote ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}`);
      }
    }
  });
});
