import type { TaskFactory } from "../deps.ts";

/**
 * Keeps monthly audit partitions ahead of the clock (setting audit.partition_months_ahead), then alerts when events
 * sit in the default partition — upkeep fell behind, and those months can no longer get their own partition: an
 * error in the log and a critical audit event, at every run until someone deals with it. Idempotent: the SQL function
 * skips partitions that exist and serialises concurrent runs.
 */
const audit__maintain_partitions: TaskFactory = () => async (_payload, helpers) => {
  const { rows } = await helpers.query<{ created: number }>("select audit.ensure_partitions() as created");
  const created = rows[0]?.created ?? 0;
  if (created > 0) helpers.logger.info(`created ${created} audit partition(s)`);
  const { rows: stragglers } = await helpers.query<{ n: string }>("select audit.default_partition_rows() as n");
  const count = Number(stragglers[0]?.n ?? 0);
  if (count > 0) {
    helpers.logger.error(`${count} audit event(s) are in the default partition: partition upkeep fell behind`);
    await helpers.query(
      "select audit.record_event('audit.default_partition_used', 'failure', jsonb_build_object('events', $1::bigint), severity => 'critical')",
      [count],
    );
  }
};

export default audit__maintain_partitions;
