/*
 * Brings back an account deleted less than the grace period ago, for whoever knows its address (or username) and
 * password. Every other case (no such account, wrong password, not deleted, already erased) gets the same WRONG, after
 * the same bcrypt work, so the answer tells nothing about which accounts exist. Then log in as usual.
 * Definer: checks the password hash and lockout of an account the anonymous caller may not see.
 */
create or replace function app_public.restore_account(identifier text, password text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user app_public.users;
  v_security app_private.user_security;
  v_key text;
  v_attempt app_private.login_attempts;
  v_reason text;
  v_retry integer;
  v_event constant text := 'user.restore';
begin
  v_retry := app_private.rate_limit_hit(app_private.client_ip_bucket('restore'),
    config.setting_integer('rate_limit.restore_per_client_ip.max'),
    config.setting_interval('rate_limit.restore_per_client_ip.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many attempts: try again in %s seconds.', v_retry), retry_after => v_retry);
  end if;
  select u.* into v_user from app_public.users u
   where (u.email = btrim(restore_account.identifier)::citext or u.username = btrim(restore_account.identifier)::citext)
     and u.deleted_at is null
   limit 1;
  /* A password check like any other: it shares the account failure count and lockout (app_private.require_password). */
  if v_user.id is not null then
    v_key := app_private.login_attempt_key(v_user.id, null);
    insert into app_private.login_attempts (key) values (v_key) on conflict do nothing;
    select a.* into v_attempt from app_private.login_attempts a where a.key = v_key for update;
    select s.* into v_security from app_private.user_security s where s.user_id = v_user.id;
  end if;
  /* Unknown and locked accounts spend the same one bcrypt hash as a real check. */
  if v_security.user_id is null or v_attempt.locked_until > app_hidden.clock_now() then
    perform app_private.hash_password(coalesce(password, ''));
    v_reason := case when v_security.user_id is null then 'unknown_identifier' else 'locked' end;
  elsif password is null
        or char_length(password) > config.setting_integer('auth.password_max_length')
        or not app_private.verify_password(password, v_security.password_hash, v_security.password_scheme) then
    perform app_private.record_login_failure(v_key, v_user.id);
    v_reason := 'wrong_password';
  elsif not (v_user.status = 'deleted' and v_user.erasure_due_at > app_hidden.clock_now()) then
    v_reason := 'not_restorable';
  end if;
  if v_reason is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'WRONG', 'That account cannot be restored with these details.',
      reason => v_reason, subject_id => v_user.id);
  end if;
  update app_private.login_attempts a set failed_count = 0 where a.key = v_key and a.failed_count > 0;
  update app_public.users u set status = 'active', erasure_requested_at = null, erasure_due_at = null where u.id = v_user.id;
  perform graphile_worker.remove_job('users__erase:' || v_user.id::text);
  perform app_private.notify('account_restored', v_user.id);
  perform audit.record_event(v_event, 'success', subject_id => v_user.id, entity_type => 'user',
    entity_id => v_user.id::text, severity => 'notice');
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.restore_account(text, text) is
  'Restores your account within the grace period after you deleted it: give your email address (or username) and password.';
grant execute on function app_public.restore_account(text, text) to app_anonymous;
