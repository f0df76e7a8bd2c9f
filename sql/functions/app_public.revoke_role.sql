/* Takes a role back (roles:assign in its organisation, and holding its permissions); never the last org_admin's. */
create or replace function app_public.revoke_role(user_role_id uuid) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_grant app_public.user_roles;
  v_event constant text := 'role.revoke';
begin
  if v_actor is null then
    return row(null, 'LOGIN', app_private.refuse(v_event, 'LOGIN', 'You must log in first.'), null)::app_public.role_change;
  end if;
  select ur.* into v_grant from app_public.user_roles ur where ur.id = revoke_role.user_role_id;
  if v_grant.id is null or not app_hidden.user_has_permission(v_actor, 'roles:assign', v_grant.organization_id)
     or not app_hidden.holds_role_permissions(v_actor, v_grant.role_id, v_grant.organization_id) then
    return row(v_grant.role_id, 'PERMS', app_private.refuse(v_event, 'PERMS', 'You may not take back this role.',
      'user_role', revoke_role.user_role_id::text), null)::app_public.role_change;
  end if;
  if v_grant.organization_id is not null
     and exists (select 1 from app_public.roles r where r.id = v_grant.role_id and r.name = 'org_admin' and r.is_system)
     and app_private.is_last_admin(v_grant.organization_id, v_grant.user_id) then
    return row(v_grant.role_id, 'LASTA', app_private.refuse(v_event, 'LASTA',
      'An organisation needs an administrator: make someone else org_admin first.',
      'user_role', revoke_role.user_role_id::text), null)::app_public.role_change;
  end if;
  delete from app_public.user_roles ur where ur.id = v_grant.id;
  perform audit.record_event(v_event, 'success', subject_id => v_grant.user_id, organisation_id => v_grant.organization_id,
    entity_type => 'role', entity_id => v_grant.role_id::text);
  return row(v_grant.role_id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.revoke_role(uuid) is 'Takes back a role given to a member (roles:assign).';
grant execute on function app_public.revoke_role(uuid) to app_anonymous;
