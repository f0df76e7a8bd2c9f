/**
 * Runs every due job once with the given tasks (graphile-worker's runOnce), on a pool this helper owns and ends:
 * graphile-worker ends a pool it made without waiting for it, so a database dropped right after could otherwise
 * terminate a lingering connection that no longer has an error handler.
 */
import { runOnce, type TaskList } from "graphile-worker";
import pg from "pg";
import { createLogger, type Logger } from "../../src/logger.ts";
import { workerLogger } from "../../src/worker/main.ts";

export async function runTasksOnce(workerUrl: string, taskList: TaskList, log: Logger = createLogger("silent")): Promise<void> {
  const pool = new pg.Pool({ connectionString: workerUrl, max: 4 });
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  try {
    await runOnce({ pgPool: pool, taskList, logger: workerLogger(log) });
  } finally {
    await pool.end();
  }
}
