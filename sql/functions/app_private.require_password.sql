/*
 * Gate for every check of a password outside login (change password, email or phone, delete the account, and any
 * later re-authentication): it shares login's failure count and lockout of the account. In order, before the hash:
 * the account checks run one at a time (its login_attempts row is locked, so parallel guesses cannot pass the
 * threshold), and a locked account is refused (LIMIT, with the time left: the caller is its signed-in owner). Then
 * the hash: a wrong password counts as a failed login (app_private.record_login_failure: auth.lockout_threshold locks
 * the account for login too) and is refused (WRONG); a right one resets the count. Returns null when the password is
 * right, else the audited refusal as the caller function result row (see app_private.refuse).
 * Definer: reads the password hash and writes app_private.login_attempts, which no client role may touch.
 */
create or replace function app_private.require_password(
  result anyelement, event_type text, user_id uuid, password text,
  message text default 'Your password is not correct.'
) returns anyelement
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_key text := app_private.login_attempt_key(require_password.user_id, null);
  v_now timestamptz := app_hidden.clock_now();
  v_attempt app_private.login_attempts;
  v_security app_private.user_security;
  v_wait integer;
begin
  insert into app_private.login_attempts (key) values (v_key) on conflict do nothing;
  select a.* into v_attempt from app_private.login_attempts a where a.key = v_key for update;
  if v_attempt.locked_until > v_now then
    v_wait := greatest(1, ceil(extract(epoch from v_attempt.locked_until - v_now)))::integer;
    return app_private.refuse(require_password.result, require_password.event_type, 'LIMIT',
      format('Too many wrong passwords: try again in %s seconds.', v_wait), reason => 'locked',
      subject_id => require_password.user_id, retry_after => v_wait);
  end if;
  select s.* into v_security from app_private.user_security s where s.user_id = require_password.user_id;
  if require_password.password is null
     or char_length(require_password.password) > config.setting_integer('auth.password_max_length')
     or not app_private.verify_password(require_password.password, v_security.password_hash, v_security.password_scheme) then
    perform app_private.record_login_failure(v_key, require_password.user_id);
    return app_private.refuse(require_password.result, require_password.event_type, 'WRONG', require_password.message,
      reason => 'wrong_password', subject_id => require_password.user_id);
  end if;
  update app_private.login_attempts a set failed_count = 0 where a.key = v_key and a.failed_count > 0;
  return null;
end;
$$;
comment on function app_private.require_password(anyelement, text, uuid, text, text) is
  'Gate: null when the account password is right, else the audited refusal (WRONG, or LIMIT while the account is locked).';
