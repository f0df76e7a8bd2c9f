/*
 * Ends every session of one user (ASVS 7.4.5): in an organisation, for holders of sessions:revoke there and only for
 * its members; with organization_id null, for holders of sessions:revoke globally, for anyone.
 */
create or replace function app_public.end_user_sessions(user_id uuid, organization_id uuid default null)
returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_event constant text := 'auth.sessions_end_user';
  v_ended integer;
begin
  if v_actor is null then
    return row(end_user_sessions.organization_id, 'LOGIN', app_private.refuse(v_event, 'LOGIN', 'You must log in first.'), null)::app_public.organization_change;
  end if;
  if not app_hidden.user_has_permission(v_actor, 'sessions:revoke', end_user_sessions.organization_id)
     or (end_user_sessions.organization_id is not null
         and not app_hidden.is_member(end_user_sessions.user_id, end_user_sessions.organization_id)) then
    return row(end_user_sessions.organization_id, 'PERMS', app_private.refuse(v_event, 'PERMS',
      'You may not end this person''s sessions.', 'user', end_user_sessions.user_id::text), null)::app_public.organization_change;
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
