import { provisionKeys } from "../../privacy/provision.ts";
import type { TaskFactory } from "../deps.ts";

/**
 * Keeps encryption keys ready: a current system key, the spare pool for new accounts, and keys for accounts that
 * registered while the pool was empty (app_hidden.encryption_key_demand says how many). Runs from the crontab and
 * whenever a registration finds the pool below half. Safe to run twice or concurrently: spare keys may overshoot the
 * pool size by one run's worth, and an account is never given a second key.
 */
const keys__replenish: TaskFactory = (deps) => async (_payload, helpers) => {
  const made = await helpers.withPgClient((client) => provisionKeys(client, deps.privacy.keystore, deps.privacy.ring));
  const total = made.systemKeys + made.spareKeys + made.userKeys;
  if (total > 0) {
    helpers.logger.info(
      `made ${total} key pair(s): ${made.systemKeys} system, ${made.spareKeys} spare, ${made.userKeys} for accounts`,
    );
    await helpers.query("select audit.record_event('maintenance.keys_replenish', 'success', $1::jsonb)", [
      JSON.stringify(made),
    ]);
  }
};

export default keys__replenish;
