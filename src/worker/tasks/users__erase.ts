import type { TaskFactory } from "../deps.ts";

interface Payload {
  user_id: string;
}

/**
 * Erases one account when it is due (deleted and past its grace period, or past retention_until): the database
 * anonymises it and names its keys (app_hidden.begin_erasure), the keys are deleted from the key store
 * (crypto-shredding: every encrypted value about the person, in the database and in its backups, can no longer be
 * read), then the database marks them destroyed and audits the erasure (app_hidden.finish_erasure). Each step is
 * idempotent, so a run killed anywhere finishes on retry; an account restored in time is left alone.
 */
const users__erase: TaskFactory = (deps) => async (payload, helpers) => {
  const userId = (payload as Payload | null)?.user_id;
  if (typeof userId !== "string") throw new Error("users__erase needs a user_id");
  const { rows } = await helpers.query<{ key_id: string }>(
    "select key_id from app_hidden.begin_erasure($1) as key_id",
    [userId],
  );
  const keyIds = rows.map((row) => row.key_id);
  if (keyIds.length === 0) return;
  const destroyed = await deps.privacy.keystore.destroy(keyIds);
  deps.privacy.reader.forget();
  await helpers.query("select app_hidden.finish_erasure($1, $2::uuid[])", [userId, keyIds]);
  helpers.logger.info(`erased account ${userId}: ${destroyed} key(s) destroyed`);
};

export default users__erase;
