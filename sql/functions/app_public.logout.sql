/* Definer: ends the row of app_private.sessions, which no client role may write. */
create or replace function app_public.logout() returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_session_id uuid := app_hidden.current_session_id();
  v_event constant text := 'auth.logout';
begin
  if v_session_id is null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LOGIN', 'You are not logged in.');
  end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'logout' where s.id = v_session_id;
  perform audit.record_event(v_event, 'success', subject_id => app_hidden.current_user_id(),
    entity_type => 'session', entity_id => v_session_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.logout() is 'Ends this session. Its access and refresh tokens stop working at once.';
grant execute on function app_public.logout() to app_anonymous;
