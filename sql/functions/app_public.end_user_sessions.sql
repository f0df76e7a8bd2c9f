/*
 * Ends every session of one user (ASVS 7.4.5): in an organisation, for holders of sessions:revoke there and only for
 * its members; with organization_id null, for holders of sessions:revoke globally, for anyone.
 * Definer: ends rows of app_private.sessions, which no client role may write.
 */
create or replace function app_public.end_user_sessions(user_id uuid, organization_id uuid default null)
returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_event constant text := 'auth.sessions_end_user';
  v_ended integer;
  v_base app_public.organization_change := row(end_user_sessions.organization_id, null, null, null);
  v_refused app_public.organization_change;
begin
  v_refused := app_private.require_permission(v_base, v_event, 'sessions:revoke', end_user_sessions.organization_id,
    'You may not end this person''s sessions.', 'user', end_user_sessions.user_id::text);
  if v_refused.refusal_code is not null then return v_refused; end if;
  /* Within an organisation, only its own members: the same answer as a missing permission. */
  if end_user_sessions.organization_id is not null
     and not app_hidden.is_member(end_user_sessions.user_id, end_user_sessions.organization_id) then
    return app_private.refuse(v_base, v_event, 'PERMS', 'You may not end this person''s sessions.',
      organisation_id => end_user_sessions.organization_id,
      entity_type => 'user', entity_id => end_user_sessions.user_id::text);
  end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'ended_by_admin'
   where s.user_id = end_user_sessions.user_id and s.revoked_at is null;
  get diagnostics v_ended = row_count;
  perform audit.record_event(v_event, 'success', jsonb_build_object('sessions_ended', v_ended),
    subject_id => end_user_sessions.user_id, organisation_id => end_user_sessions.organization_id,
    entity_type => 'user', entity_id => end_user_sessions.user_id::text, severity => 'notice');
  return row(end_user_sessions.organization_id, null, null, null)::app_public.organization_change;
end;
$$;
comment on function app_public.end_user_sessions(uuid, uuid) is 'Ends every session of a member (sessions:revoke).';
grant execute on function app_public.end_user_sessions(uuid, uuid) to app_anonymous;
