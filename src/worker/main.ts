/**
 * The background worker: graphile-worker with Gatehouse's task list and crontab, connected as app_worker.
 */
import { Logger as WorkerLogger, run, type Runner } from "graphile-worker";
import pg from "pg";
import type { Config } from "../config.ts";
import type { PrivacyKeys } from "../privacy/privacyKeys.ts";
import type { Logger } from "../logger.ts";
import { createMailer } from "../mail/mailer.ts";
import type { WorkerDeps } from "./deps.ts";
import { crontab, makeTaskList } from "./taskList.ts";

export interface WorkerOptions extends WorkerDeps {
  workerUrl: string;
  concurrency: number;
  log: Logger;
}

/** The worker's options from the configuration: `npm start` and `npm run worker` both build them here. */
export function workerOptionsFrom(config: Config, workerUrl: string, log: Logger, privacy: PrivacyKeys): WorkerOptions {
  return {
    workerUrl,
    privacy,
    concurrency: config.workerConcurrency,
    mailer: createMailer({ ...config.mail, mailDir: config.mailDir }),
    publicBaseUrl: config.mail.publicBaseUrl,
    auditArchiveDir: config.auditArchiveDir,
    log,
  };
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

export interface Worker {
  /** Settles when the worker stops, by stop() or by itself. */
  promise: Promise<void>;
  stop(): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const log = options.log.child({ component: "worker" });
  /*
   * The worker's pool is ours: graphile-worker ends a pool it made without waiting and drops its error handlers, so a
   * server shutting down right after could crash the process. We end this one ourselves, after the runner has stopped.
   */
  const pool = new pg.Pool({ connectionString: options.workerUrl, max: options.concurrency + 2 });
  const onLost = (error: Error): void => log.warn({ err: error }, "worker database connection lost");
  pool.on("error", onLost);
  pool.on("connect", (client) => client.on("error", onLost));
  const runner: Runner = await run({
    pgPool: pool,
    concurrency: options.concurrency,
    taskList: makeTaskList(options),
    crontab,
    noHandleSignals: true,
    logger: workerLogger(log),
  });
  /* Fill the spare key pool now rather than at the next crontab tick: the first registrations should find keys. */
  await runner.addJob("keys__replenish", {}, { jobKey: "keys__replenish" });
  log.info({ concurrency: options.concurrency }, "worker started");
  let stopping: Promise<void> | null = null;
  return {
    promise: runner.promise,
    stop() {
      stopping ??= runner.stop().then(async () => {
        options.mailer.close();
        await pool.end();
      });
      return stopping;
    },
  };
}
