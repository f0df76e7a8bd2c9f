import type { TaskFactory } from "../deps.ts";

/**
 * Appends new audit events to the hash chain in batches until none are left (at most 100 batches a run; the next run
 * continues). Idempotent: sealing is serialised in SQL and an event is never sealed twice.
 */
const audit__seal: TaskFactory = () => async (_payload, helpers) => {
  let total = 0;
  for (let batch = 0; batch < 100; batch++) {
    const { rows } = await helpers.query<{ sealed: number }>("select audit.seal_events() as sealed");
    const sealed = rows[0]?.sealed ?? 0;
    total += sealed;
    if (sealed === 0) break;
  }
  if (total > 0) helpers.logger.info(`sealed ${total} audit event(s)`);
};

export default audit__seal;
