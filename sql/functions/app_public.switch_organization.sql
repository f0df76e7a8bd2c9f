/*
 * Makes an organisation (one you are an active member of) the active one of this session, or, with null, goes back to
 * your personal context; returns an access token for it (its tid claim). Refreshes keep minting for the session's
 * active organisation.
 * Definer: updates the caller row in app_private.sessions, which no client role may write.
 */
create or replace function app_public.switch_organization(organization_id uuid) returns app_public.login_result
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_now timestamptz := date_trunc('second', app_hidden.clock_now());
  v_session app_private.sessions;
  v_event constant text := 'organization.switch';
begin
  select s.* into v_session from app_private.sessions s where s.id = app_hidden.current_session_id() for update;
  if v_session.id is null then
    return app_private.refuse(null::app_public.login_result, v_event, 'LOGIN', 'You must log in first.');
  end if;
  if switch_organization.organization_id is not null
     and not app_hidden.is_member(v_session.user_id, switch_organization.organization_id) then
    return app_private.refuse(null::app_public.login_result, v_event, 'NTFND', 'You are not a member of that organisation.',
      organisation_id => switch_organization.organization_id,
      entity_type => 'organization', entity_id => switch_organization.organization_id::text);
  end if;
  update app_private.sessions s set organization_id = switch_organization.organization_id where s.id = v_session.id;
  perform audit.record_event(v_event, 'success', subject_id => v_session.user_id,
    organisation_id => switch_organization.organization_id, entity_type => 'session', entity_id => v_session.id::text);
  return row(
    v_session.user_id, v_session.id, null, v_now,
    date_trunc('second', least(v_now + config.setting_interval('auth.access_token_ttl'), v_session.absolute_expires_at)),
    null, null, null, switch_organization.organization_id
  )::app_public.login_result;
end;
$$;
comment on function app_public.switch_organization(uuid) is
  'Acts in another of your organisations (or, with null, in your personal context): returns an access token for it.';
grant execute on function app_public.switch_organization(uuid) to app_anonymous;
