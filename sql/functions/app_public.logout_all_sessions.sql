/* Definer: ends rows of app_private.sessions, which no client role may write. */
create or replace function app_public.logout_all_sessions() returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_ended integer;
  v_event constant text := 'auth.logout_all';
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_login(null::app_public.outcome, v_event, 'You are not logged in.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'logout_all'
   where s.user_id = v_user_id and s.revoked_at is null;
  get diagnostics v_ended = row_count;
  perform audit.record_event(v_event, 'success', jsonb_build_object('sessions_ended', v_ended),
    subject_id => v_user_id, entity_type => 'user', entity_id => v_user_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.logout_all_sessions() is 'Ends every session of your account, this one included.';
grant execute on function app_public.logout_all_sessions() to app_anonymous;
