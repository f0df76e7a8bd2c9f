import type { TaskFactory } from "../deps.ts";

/**
 * Deletes expired rate-limit hits and stale lockout rows, batch by batch (each batch skips rows a login holds), until
 * nothing is left to delete or the run has done 100 batches; the next run continues. Idempotent.
 */
const login_throttles__purge: TaskFactory = () => async (_payload, helpers) => {
  let total = 0;
  for (let batch = 0; batch < 100; batch++) {
    const { rows } = await helpers.query<{ deleted: number }>("select app_hidden.purge_login_throttles() as deleted");
    const deleted = rows[0]?.deleted ?? 0;
    total += deleted;
    if (deleted === 0) break;
  }
  if (total > 0) helpers.logger.info(`purged ${total} rate-limit and lockout row(s)`);
};

export default login_throttles__purge;
