/*
 * Needs the current password (ASVS 6.2.3); the new one follows app_private.set_password's rules. Every other session
 * ends (ASVS 7.4.3) and the owner is told by mail (ASVS 6.3.6).
 */
create or replace function app_public.change_password(current_password text, new_password text)
returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_security app_private.user_security;
  v_result app_public.outcome;
begin
  if v_user_id is null then
    perform audit.record_event('auth.password_change', 'refused', reason => 'LOGIN', severity => 'notice');
    return row(false, 'LOGIN', 'You must log in to change your password.', null)::app_public.outcome;
  end if;
  select s.* into v_security from app_private.user_security s where s.user_id = v_user_id for update;
  if current_password is null
     or not app_private.verify_password(current_password, v_security.password_hash, v_security.password_scheme) then
    perform audit.record_event('auth.password_change', 'refused', reason => 'wrong_password', subject_id => v_user_id,
      severity => 'warning');
    return row(false, 'WRONG', 'Your current password is not correct.', null)::app_public.outcome;
  end if;

  v_result := app_private.set_password(v_user_id, new_password);
  if not v_result.ok then
    perform audit.record_event('auth.password_change', 'refused', reason => v_result.refusal_code, subject_id => v_user_id);
    return v_result;
  end if;

  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'password_changed'
   where s.user_id = v_user_id and s.revoked_at is null and s.id <> app_hidden.current_session_id();
  perform app_private.notify('password_changed', v_user_id);
  perform audit.record_event('auth.password_change', 'success', subject_id => v_user_id,
    entity_type => 'user', entity_id => v_user_id::text);
  return v_result;
end;
$$;
comment on function app_public.change_password(text, text) is
  'Changes your password. Needs the current one; your other sessions end, and you are told by mail.';
grant execute on function app_public.change_password(text, text) to app_anonymous;
