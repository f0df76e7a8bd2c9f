import type { TaskFactory } from "../deps.ts";

/**
 * Deletes expired authentication records batch by batch (each batch commits on its own and skips rows in use) until
 * none is left or 100 batches have run; logs the count and records one audit event per run. Idempotent.
 */
const auth__expire: TaskFactory = () => async (_payload, helpers) => {
  let total = 0;
  for (let batch = 0; batch < 100; batch++) {
    const { rows } = await helpers.query<{ deleted: number }>("select app_hidden.expire_auth_records() as deleted");
    const deleted = rows[0]?.deleted ?? 0;
    total += deleted;
    if (deleted === 0) break;
  }
  helpers.logger.info(`expired ${total} authentication record(s)`);
  await helpers.query(
    "select audit.record_event('maintenance.auth_expiry', 'success', jsonb_build_object('deleted', $1::int))",
    [total],
  );
};

export default auth__expire;
