/*
 * GDPR erasure, asked by the account holder. Needs the current password. At once: the account is marked deleted,
 * every session ends and logging in is refused; the address and username stay reserved (a registration with them is
 * answered as usual, without telling). After gdpr.erasure_grace_period the worker erases the account
 * (users__erase): the keys are destroyed, which makes every encrypted value about the person unreadable in the
 * database and in every backup, and the remaining clear personal columns are anonymised. With `immediate` the grace
 * period is waived and erasure is queued now. Until erasure, restoreAccount brings the account back.
 * Definer: checks the password hash in app_private.user_security and ends every session.
 */
create or replace function app_public.delete_my_account(password text, immediate boolean default false)
returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_due timestamptz;
  v_event constant text := 'user.delete';
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_login(null::app_public.outcome, v_event, 'You must log in to delete your account.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  v_refused := app_private.require_password(null::app_public.outcome, v_event, v_user_id, password);
  if v_refused.refusal_code is not null then return v_refused; end if;

  v_due := app_hidden.clock_now()
           + case when coalesce(immediate, false) then interval '0' else config.setting_interval('gdpr.erasure_grace_period') end;
  update app_public.users u set status = 'deleted', erasure_requested_at = app_hidden.clock_now(), erasure_due_at = v_due
   where u.id = v_user_id;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'account_deleted'
   where s.user_id = v_user_id and s.revoked_at is null;
  perform graphile_worker.add_job('users__erase', json_build_object('user_id', v_user_id), run_at => v_due,
    job_key => 'users__erase:' || v_user_id::text, job_key_mode => 'replace');
  if not coalesce(immediate, false) then
    perform app_private.notify('account_deleted', v_user_id, jsonb_build_object('erasure_due_at', v_due));
  end if;
  perform audit.record_event(v_event, 'success', subject_id => v_user_id, entity_type => 'user',
    entity_id => v_user_id::text, severity => 'notice',
    details => jsonb_build_object('immediate', coalesce(immediate, false), 'erasure_due_at', v_due));
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.delete_my_account(text, boolean) is
  'Deletes your account: you are logged out everywhere now, and your data is erased after the grace period (or at once with immediate). Needs your password.';
grant execute on function app_public.delete_my_account(text, boolean) to app_authenticated;
