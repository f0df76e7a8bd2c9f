import type { TaskList } from "graphile-worker";
import type { TaskFactory, WorkerDeps } from "./deps.ts";
import audit__maintain_partitions from "./tasks/audit__maintain_partitions.ts";
import audit__retain from "./tasks/audit__retain.ts";
import audit__seal from "./tasks/audit__seal.ts";
import auth__expire from "./tasks/auth__expire.ts";
import invitations__send from "./tasks/invitations__send.ts";
import keys__replenish from "./tasks/keys__replenish.ts";
import login_throttles__purge from "./tasks/login_throttles__purge.ts";
import marketing__send from "./tasks/marketing__send.ts";
import users__erase from "./tasks/users__erase.ts";
import users__erase_due from "./tasks/users__erase_due.ts";
import users__notify from "./tasks/users__notify.ts";
import users__send_email_change from "./tasks/users__send_email_change.ts";
import users__send_password_reset from "./tasks/users__send_password_reset.ts";
import users__send_verification from "./tasks/users__send_verification.ts";

/** Every task the worker runs, by the name queued jobs and the crontab use: those names never change. */
export const TASKS: Record<string, TaskFactory> = {
  audit__maintain_partitions,
  audit__retain,
  audit__seal,
  auth__expire,
  invitations__send,
  keys__replenish,
  login_throttles__purge,
  marketing__send,
  users__erase,
  users__erase_due,
  users__notify,
  users__send_email_change,
  users__send_password_reset,
  users__send_verification,
};

/** The task list graphile-worker runs: every factory given the worker's dependencies. */
export function makeTaskList(deps: WorkerDeps, tasks: Record<string, TaskFactory> = TASKS): TaskList {
  return Object.fromEntries(Object.entries(tasks).map(([name, make]) => [name, make(deps)]));
}

/**
 * Recurring jobs. `?fill=` backfills a run missed while the worker was down (within that window); the job key keeps
 * one pending run per job however many workers run.
 */
export const crontab = [
  "0 * * * * audit__maintain_partitions ?fill=1d&jobKey=audit__maintain_partitions&jobKeyMode=preserve_run_at",
  "* * * * * audit__seal ?jobKey=audit__seal&jobKeyMode=preserve_run_at",
  "30 3 * * * audit__retain ?fill=7d&jobKey=audit__retain&jobKeyMode=preserve_run_at",
  "15 * * * * auth__expire ?fill=1d&jobKey=auth__expire&jobKeyMode=preserve_run_at",
  "*/10 * * * * login_throttles__purge ?jobKey=login_throttles__purge&jobKeyMode=preserve_run_at",
  "*/5 * * * * keys__replenish ?jobKey=keys__replenish&jobKeyMode=preserve_run_at",
  "45 2 * * * users__erase_due ?fill=7d&jobKey=users__erase_due&jobKeyMode=preserve_run_at",
].join("\n");
