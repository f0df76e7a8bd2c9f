/*
 * Takes a role back (roles:assign in its organisation, and holding its permissions); never the last org_admin's.
 * Definer: deletes from app_public.user_roles, which clients may not write, after its checks.
 */
create or replace function app_public.revoke_role(user_role_id uuid) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_grant app_public.user_roles;
  v_event constant text := 'role.revoke';
  v_refused app_public.role_change;
begin
  v_refused := app_private.require_login(null::app_public.role_change, v_event);
  if v_refused.refusal_code is not null then return v_refused; end if;
  select ur.* into v_grant from app_public.user_roles ur where ur.id = revoke_role.user_role_id;
  if v_grant.id is null or not app_hidden.user_has_permission(v_actor, 'roles:assign', v_grant.organization_id)
     or not app_hidden.holds_role_permissions(v_actor, v_grant.role_id, v_grant.organization_id) then
    return app_private.refuse(row(v_grant.role_id, null, null, null)::app_public.role_change, v_event, 'PERMS',
      'You may not take back this role.', organisation_id => v_grant.organization_id,
      entity_type => 'user_role', entity_id => revoke_role.user_role_id::text);
  end if;
  if v_grant.organization_id is not null
     and exists (select 1 from app_public.roles r where r.id = v_grant.role_id and r.name = 'org_admin' and r.is_system)
     and app_private.is_last_admin(v_grant.organization_id, v_grant.user_id) then
    return app_private.refuse(row(v_grant.role_id, null, null, null)::app_public.role_change, v_event, 'LASTA',
      'An organisation needs an administrator: make someone else org_admin first.',
      organisation_id => v_grant.organization_id,
      entity_type => 'user_role', entity_id => revoke_role.user_role_id::text);
  end if;
  delete from app_public.user_roles ur where ur.id = v_grant.id;
  perform audit.record_event(v_event, 'success', subject_id => v_grant.user_id, organisation_id => v_grant.organization_id,
    entity_type => 'role', entity_id => v_grant.role_id::text);
  return row(v_grant.role_id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.revoke_role(uuid) is 'Takes back a role given to a member (roles:assign).';
grant execute on function app_public.revoke_role(uuid) to app_anonymous;
