/*
 * Ends every session acting in the organisation (sessions:revoke there), the caller's own excepted.
 * Definer: ends rows of app_private.sessions, which no client role may write.
 */
create or replace function app_public.end_organization_sessions(organization_id uuid) returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_event constant text := 'auth.sessions_end_organization';
  v_ended integer;
  v_refused app_public.organization_change;
begin
  v_refused := app_private.require_permission(
    row(end_organization_sessions.organization_id, null, null, null)::app_public.organization_change, v_event,
    'sessions:revoke', end_organization_sessions.organization_id, 'You may not end sessions in this organisation.',
    'organization', end_organization_sessions.organization_id::text);
  if v_refused.refusal_code is not null then return v_refused; end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'ended_by_admin'
   where s.organization_id = end_organization_sessions.organization_id and s.revoked_at is null
     and s.id is distinct from app_hidden.current_session_id();
  get diagnostics v_ended = row_count;
  perform audit.record_event(v_event, 'success', jsonb_build_object('sessions_ended', v_ended),
    organisation_id => end_organization_sessions.organization_id, entity_type => 'organization',
    entity_id => end_organization_sessions.organization_id::text, severity => 'notice');
  return row(end_organization_sessions.organization_id, null, null, null)::app_public.organization_change;
end;
$$;
comment on function app_public.end_organization_sessions(uuid) is
  'Ends every session acting in the organisation except yours (sessions:revoke).';
grant execute on function app_public.end_organization_sessions(uuid) to app_anonymous;
