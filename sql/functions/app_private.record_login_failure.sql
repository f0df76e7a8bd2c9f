/*
 * One more consecutive failure for a login_attempts row the caller has locked. At auth.lockout_threshold the key
 * locks for auth.lockout_duration, doubling with each further lock up to auth.lockout_max_duration; the owner of a
 * real account is told by mail.
 * Definer: updates app_private.login_attempts and writes audit.events (audit.record_event), which no client role
 * may touch.
 */
create or replace function app_private.record_login_failure(key text, user_id uuid) returns void
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_now timestamptz := app_hidden.clock_now();
  v_attempt app_private.login_attempts;
  v_duration interval;
begin
  update app_private.login_attempts a
     set failed_count = a.failed_count + 1, last_failure_at = v_now
   where a.key = record_login_failure.key
  returning a.* into v_attempt;
  if v_attempt.failed_count < config.setting_integer('auth.lockout_threshold') then
    return;
  end if;
  v_duration := least(
    config.setting_interval('auth.lockout_duration') * power(2, least(v_attempt.lock_count, 20)),
    config.setting_interval('auth.lockout_max_duration')
  );
  update app_private.login_attempts a
     set failed_count = 0, lock_count = a.lock_count + 1, locked_until = v_now + v_duration
   where a.key = record_login_failure.key;
  perform audit.record_event('auth.lockout', 'success', jsonb_build_object('duration', v_duration::text),
    subject_id => user_id, severity => 'warning');
  if user_id is not null then
    perform app_private.notify('account_locked', user_id, jsonb_build_object('locked_until', v_now + v_duration));
  end if;
end;
$$;
comment on function app_private.record_login_failure(text, uuid) is
  'Counts a failed login against a key and locks it at the threshold, for longer on every repeat.';
