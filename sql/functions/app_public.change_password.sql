/*
 * Needs the current password (ASVS 6.2.3); the new one follows app_private.set_password's rules. Every other session
 * ends (ASVS 7.4.3) and the owner is told by mail (ASVS 6.3.6).
 * Definer: replaces the password hash in app_private.user_security and ends sessions (app_private.sessions).
 */
create or replace function app_public.change_password(current_password text, new_password text)
returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_result app_public.outcome;
  v_event constant text := 'auth.password_change';
begin
  v_result := app_private.require_login(null::app_public.outcome, v_event, 'You must log in to change your password.');
  if v_result.refusal_code is not null then return v_result; end if;
  v_result := app_private.require_password(null::app_public.outcome, v_event, v_user_id, current_password,
    'Your current password is not correct.');
  if v_result.refusal_code is not null then return v_result; end if;

  v_result := app_private.set_password(v_user_id, new_password);
  if not v_result.ok then
    return app_private.refuse(v_result, v_event, v_result.refusal_code, v_result.refusal_message, subject_id => v_user_id);
  end if;

  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'password_changed'
   where s.user_id = v_user_id and s.revoked_at is null and s.id <> app_hidden.current_session_id();
  perform app_private.notify('password_changed', v_user_id);
  perform audit.record_event(v_event, 'success', subject_id => v_user_id,
    entity_type => 'user', entity_id => v_user_id::text);
  return v_result;
end;
$$;
comment on function app_public.change_password(text, text) is
  'Changes your password. Needs the current one; your other sessions end, and you are told by mail.';
grant execute on function app_public.change_password(text, text) to app_anonymous;
