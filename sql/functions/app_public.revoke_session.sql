/* Definer: ends a row of app_private.sessions, which no client role may write. */
create or replace function app_public.revoke_session(session_id uuid) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_event constant text := 'auth.session_revoke';
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_login(null::app_public.outcome, v_event, 'You must log in to end a session.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'revoked_by_user'
   where s.id = revoke_session.session_id and s.user_id = v_user_id and s.revoked_at is null;
  if not found then
    return app_private.refuse(null::app_public.outcome, v_event, 'NTFND', 'You have no live session with that id.',
      subject_id => v_user_id, entity_type => 'session', entity_id => revoke_session.session_id::text);
  end if;
  perform audit.record_event(v_event, 'success', subject_id => v_user_id,
    entity_type => 'session', entity_id => revoke_session.session_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.revoke_session(uuid) is
  'Ends one of your sessions (see mySessions). Its tokens stop working on their next use.';
grant execute on function app_public.revoke_session(uuid) to app_anonymous;
