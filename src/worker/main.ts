/**
 * The background worker: graphile-worker with Gatehouse's task list and crontab, connected as app_worker.
 */
import { Logger as WorkerLogger, run, type Runner } from "graphile-worker";
import type { Logger } from "../logger.ts";
import { crontab, taskList } from "./taskList.ts";

export interface WorkerOptions {
  workerUrl: string;
  concurrency: number;
  log: Logger;
}

export function workerLogger(log: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const fields = { ...scope, ...meta };
    if (level === "error") log.error(fields, message);
    else if (level === "warning") log.warn(fields, message);
    else if (level === "info") log.info(fields, message);
    else log.debug(fields, message);
  });
}

export async function startWorker(options: WorkerOptions): Promise<Runner> {
  const log = options.log.child({ component: "worker" });
  const runner = await run({
    connectionString: options.workerUrl,
    concurrency: options.concurrency,
    taskList,
    crontab,
    noHandleSignals: true,
    logger: workerLogger(log),
  });
  log.info({ concurrency: options.concurrency }, "worker started");
  return runner;
}
