/*
 * Brings back an account deleted less than the grace period ago, for whoever knows its address (or username) and
 * password. Every other case (no such account, wrong password, not deleted, already erased) gets the same WRONG, after
 * the same bcrypt work, so the answer tells nothing about which accounts exist. Then log in as usual.
 * Definer: checks the password hash of an account the anonymous caller may not see.
 */
create or replace function app_public.restore_account(identifier text, password text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user app_public.users;
  v_security app_private.user_security;
  v_ok boolean;
  v_retry integer;
  v_event constant text := 'user.restore';
begin
  v_retry := app_private.rate_limit_hit('restore:ip:' || coalesce(host(app_hidden.current_client_ip()), 'unknown'),
    config.setting_integer('rate_limit.login_per_ip.max'), config.setting_interval('rate_limit.login_per_ip.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many attempts: try again in %s seconds.', v_retry), retry_after => v_retry);
  end if;
  select u.* into v_user from app_public.users u
   where (u.email = btrim(restore_account.identifier)::citext or u.username = btrim(restore_account.identifier)::citext)
     and u.deleted_at is null
   limit 1;
  select s.* into v_security from app_private.user_security s where s.user_id = v_user.id;
  /* Unknown accounts are checked against a dummy hash: the same work either way. */
  v_ok := app_private.verify_password(coalesce(password, ''),
            coalesce(v_security.password_hash, app_private.hash_password('no such account')),
            coalesce(v_security.password_scheme, 'bcrypt-sha384'))
          and v_user.status = 'deleted' and v_user.erasure_due_at > app_hidden.clock_now();
  if not coalesce(v_ok, false) then
    return app_private.refuse(null::app_public.outcome, v_event, 'WRONG', 'That account cannot be restored with these details.',
      subject_id => v_user.id);
  end if;
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
