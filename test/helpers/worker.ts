/**
 * Runs every due job once with the given tasks (graphile-worker's runOnce), on a pool this helper owns and ends:
 * graphile-worker ends a pool it made without waiting for it, so a database dropped right after could otherwise
 * terminate a lingering connection that no longer has an error handler.
 */
import { runOnce } from "graphile-worker";
import pg from "pg";
import { createLogger, type Logger } from "../../src/logger.ts";
import type { TaskFactory, WorkerDeps } from "../../src/worker/deps.ts";
import { workerLogger } from "../../src/worker/main.ts";
import { makeTaskList } from "../../src/worker/taskList.ts";

/** For tasks that need no dependencies: any use of one fails the test loudly. */
const NO_DEPS = new Proxy({} as WorkerDeps, {
  get(_target, property) {
    throw new Error(`this task was run without worker dependencies, and it used ${String(property)}`);
  },
});

/** Runs the due jobs of the given tasks (factories, as the worker has them) once. */
export async function runTasksOnce(
  workerUrl: string,
  tasks: Record<string, TaskFactory>,
  deps: WorkerDeps = NO_DEPS,
  log: Logger = createLogger("silent"),
): Promise<void> {
  const taskList = makeTaskList(deps, tasks);
  const pool = new pg.Pool({ connectionString: workerUrl, max: 4 });
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  try {
    await runOnce({ pgPool: pool, taskList, logger: workerLogger(log) });
  } finally {
    await pool.end();
  }
}
