import type { TaskList } from "graphile-worker";
import type { WorkerDeps } from "./deps.ts";
import audit__maintain_partitions from "./tasks/audit__maintain_partitions.ts";
import { auditRetain } from "./tasks/audit__retain.ts";
import audit__seal from "./tasks/audit__seal.ts";
import auth__expire from "./tasks/auth__expire.ts";
import { invitationsSend } from "./tasks/invitations__send.ts";
import { keysReplenish } from "./tasks/keys__replenish.ts";
import login_throttles__purge from "./tasks/login_throttles__purge.ts";
import { usersErase } from "./tasks/users__erase.ts";
import users__erase_due from "./tasks/users__erase_due.ts";
import { usersNotify } from "./tasks/users__notify.ts";
import { usersSendEmailChange } from "./tasks/users__send_email_change.ts";
import { usersSendPasswordReset } from "./tasks/users__send_password_reset.ts";
import { usersSendVerification } from "./tasks/users__send_verification.ts";

/** Every task the worker runs, by the name jobs and the crontab use. */
export function makeTaskList(deps: WorkerDeps): TaskList {
  return {
    audit__maintain_partitions,
    audit__seal,
    audit__retain: auditRetain(deps),
    auth__expire,
    keys__replenish: keysReplenish(deps),
    login_throttles__purge,
    users__erase: usersErase(deps),
    users__erase_due,
    invitations__send: invitationsSend(deps),
    users__notify: usersNotify(deps),
    users__send_verification: usersSendVerification(deps),
    users__send_password_reset: usersSendPasswordReset(deps),
    users__send_email_change: usersSendEmailChange(deps),
  };
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
