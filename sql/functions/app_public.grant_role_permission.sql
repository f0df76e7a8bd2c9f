/* No escalation: the caller may put on a role only a permission they hold themselves in that organisation. */
create or replace function app_public.grant_role_permission(role_id uuid, permission text) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_refusal text[] := app_private.role_management_refusal(v_actor, grant_role_permission.role_id, 'role.grant_permission');
  v_org uuid;
begin
  if v_refusal is not null then
    return row(grant_role_permission.role_id, v_refusal[1], v_refusal[2], null)::app_public.role_change;
  end if;
  select r.organization_id into v_org from app_public.roles r where r.id = grant_role_permission.role_id;
  if not exists (select 1 from app_public.permissions p where p.name = grant_role_permission.permission) then
    return row(grant_role_permission.role_id, 'NTFND', app_private.refuse('role.grant_permission', 'NTFND',
      'There is no such permission.', 'role', grant_role_permission.role_id::text), null)::app_public.role_change;
  end if;
  if not app_hidden.user_has_permission(v_actor, grant_role_permission.permission, v_org) then
    return row(grant_role_permission.role_id, 'PERMS', app_private.refuse('role.grant_permission', 'PERMS',
      'You can only grant permissions you hold yourself.', 'role', grant_role_permission.role_id::text,
      jsonb_build_object('permission', grant_role_permission.permission)), null)::app_public.role_change;
  end if;
  insert into app_public.role_permissions (role_id, permission)
  values (grant_role_permission.role_id, grant_role_permission.permission) on conflict do nothing;
  perform audit.record_event('role.grant_permission', 'success', jsonb_build_object('permission', grant_role_permission.permission),
    organisation_id => v_org, entity_type => 'role', entity_id => grant_role_permission.role_id::text);
  return row(grant_role_permission.role_id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.grant_role_permission(uuid, text) is
  'Adds a permission to a role (roles:manage). You can only grant permissions you hold.';
grant execute on function app_public.grant_role_permission(uuid, text) to app_anonymous;
