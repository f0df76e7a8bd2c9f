import type { Task } from "graphile-worker";
import type { PrivacyKeys } from "../privacy/privacyKeys.ts";
import type { Mailer } from "../mail/mailer.ts";

/** What tasks need beyond their job: passed in, so tests give the real mailer a folder of their own. */
export interface WorkerDeps {
  mailer: Mailer;
  publicBaseUrl: string;
  /** Where audit__retain writes the exports of retired audit partitions. */
  auditArchiveDir: string;
  /** The key store and master key: making keys, destroying them at erasure, decrypting for exports. */
  privacy: PrivacyKeys;
}

/**
 * The one shape of a worker task: each file in tasks/ default-exports a factory named as the task, which the task list
 * calls once with the worker's dependencies. Tasks that need none ignore the argument.
 */
export type TaskFactory = (deps: WorkerDeps) => Task;
