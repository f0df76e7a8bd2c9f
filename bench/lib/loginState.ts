/**
 * Failed-login counts and locks (app_private.login_attempts, one row per account or unknown identifier, keyed by
 * app_private.login_attempt_key), set and reset around timed logins. Scenarios also check what each login really did
 * in the audit trail (`verify`), so a change to the lockout that this misses stops the run instead of skewing it.
 */
import type pg from "pg";

/** Clears the failure count and any lock of an account (userId) or of an unknown identifier (userId null). */
export async function resetLoginFailures(
  root: pg.ClientBase,
  userId: string | null,
  identifier: string,
): Promise<void> {
  await root.query(
    `update app_private.login_attempts set failed_count = 0, lock_count = 0, locked_until = null
     where key = app_private.login_attempt_key($1::uuid, $2)`,
    [userId, identifier],
  );
}

/** Locks an account for an hour from now, as the lockout would. */
export async function lockLogin(root: pg.ClientBase, userId: string, identifier: string): Promise<void> {
  await root.query(
    `insert into app_private.login_attempts (key, locked_until)
     values (app_private.login_attempt_key($1::uuid, $2), now() + interval '1 hour')
     on conflict (key) do update set locked_until = excluded.locked_until`,
    [userId, identifier],
  );
}
