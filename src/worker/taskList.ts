import type { TaskList } from "graphile-worker";
import audit__maintain_partitions from "./tasks/audit__maintain_partitions.ts";

/** Every task the worker runs, by the name jobs and the crontab use. */
export const taskList: TaskList = {
  audit__maintain_partitions,
};

/**
 * Recurring jobs. `?fill=` backfills a run missed while the worker was down (within that window); the job key keeps
 * one pending run per job however many workers run.
 */
export const crontab = [
  "0 * * * * audit__maintain_partitions ?fill=1d&jobKey=audit__maintain_partitions&jobKeyMode=preserve_run_at",
].join("\n");
