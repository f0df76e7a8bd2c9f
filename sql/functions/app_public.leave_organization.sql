create or replace function app_public.leave_organization(organization_id uuid) returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_event constant text := 'membership.leave';
begin
  if v_actor is null then
    return row(leave_organization.organization_id, 'LOGIN', app_private.refuse(v_event, 'LOGIN', 'You must log in first.'), null)::app_public.organization_change;
  end if;
  if not app_hidden.is_member(v_actor, leave_organization.organization_id) then
    return row(leave_organization.organization_id, 'NTFND', app_private.refuse(v_event, 'NTFND', 'You are not a member.',
      'organization', leave_organization.organization_id::text), null)::app_public.organization_change;
  end if;
  if app_private.is_last_admin(leave_organization.organization_id, v_actor) then
    return row(leave_organization.organization_id, 'LASTA', app_private.refuse(v_event, 'LASTA',
      'You are the last administrator: make someone else org_admin before you leave.',
      'organization', leave_organization.organization_id::text), null)::app_public.organization_change;
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
