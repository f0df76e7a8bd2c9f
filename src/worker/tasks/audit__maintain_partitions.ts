import type { Task } from "graphile-worker";

/**
 * Keeps monthly audit partitions ahead of the clock (setting audit.partition_months_ahead). Idempotent: the SQL
 * function skips partitions that exist and serialises concurrent runs.
 */
const task: Task = async (_payload, helpers) => {
  const { rows } = await helpers.query<{ created: number }>("select audit.ensure_partitions() as created");
  const created = rows[0]?.created ?? 0;
  if (created > 0) helpers.logger.info(`created ${created} audit partition(s)`);
};

export default task;
