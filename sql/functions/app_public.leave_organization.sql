/* Definer: ends the membership and its role grants, which clients may not write. */
create or replace function app_public.leave_organization(organization_id uuid) returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_event constant text := 'membership.leave';
  v_base app_public.organization_change := row(leave_organization.organization_id, null, null, null);
  v_refused app_public.organization_change;
begin
  v_refused := app_private.require_login(v_base, v_event);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if not app_hidden.is_member(v_actor, leave_organization.organization_id) then
    return app_private.refuse(v_base, v_event, 'NTFND', 'You are not a member.',
      entity_type => 'organization', entity_id => leave_organization.organization_id::text);
  end if;
  if app_private.is_last_admin(leave_organization.organization_id, v_actor) then
    return app_private.refuse(v_base, v_event, 'LASTA',
      'You are the last administrator: make someone else org_admin before you leave.',
      entity_type => 'organization', entity_id => leave_organization.organization_id::text);
  end if;
  update app_public.memberships m set status = 'left', ended_at = app_hidden.clock_now()
   where m.organization_id = leave_organization.organization_id and m.user_id = v_actor;
  delete from app_public.user_roles ur where ur.organization_id = leave_organization.organization_id and ur.user_id = v_actor;
  perform audit.record_event(v_event, 'success', subject_id => v_actor, organisation_id => leave_organization.organization_id,
    entity_type => 'organization', entity_id => leave_organization.organization_id::text);
  return row(leave_organization.organization_id, null, null, null)::app_public.organization_change;
end;
$$;
comment on function app_public.leave_organization(uuid) is 'Leaves an organisation. The last administrator cannot leave.';
grant execute on function app_public.leave_organization(uuid) to app_anonymous;
