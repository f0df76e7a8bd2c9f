import type { TaskFactory } from "../deps.ts";

/**
 * Daily: queues users__erase for every account whose erasure is due and not done (a deletion queues its own job at
 * its due time; this catches retention dates and any job that was lost). One job per account (job key).
 */
const users__erase_due: TaskFactory = () => async (_payload, helpers) => {
  const { rows } = await helpers.query<{ user_id: string }>("select user_id from app_hidden.due_erasures() as user_id");
  for (const { user_id: userId } of rows) {
    await helpers.addJob("users__erase", { user_id: userId }, { jobKey: `users__erase:${userId}` });
  }
  if (rows.length > 0) helpers.logger.info(`queued erasure of ${rows.length} account(s)`);
};

export default users__erase_due;
