/*
 * No escalation: the caller may put on a role only a permission they hold themselves in that organisation.
 * Definer: writes app_public.role_permissions, which clients may not write, after its checks.
 */
create or replace function app_public.grant_role_permission(role_id uuid, permission text) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_event constant text := 'role.grant_permission';
  v_base app_public.role_change := row(grant_role_permission.role_id, null, null, null);
  v_refused app_public.role_change;
  v_org uuid;
begin
  v_refused := app_private.require_role_management(v_base, v_event, grant_role_permission.role_id);
  if v_refused.refusal_code is not null then return v_refused; end if;
  select r.organization_id into v_org from app_public.roles r where r.id = grant_role_permission.role_id;
  if not exists (select 1 from app_public.permissions p where p.name = grant_role_permission.permission) then
    return app_private.refuse(v_base, v_event, 'NTFND', 'There is no such permission.',
      entity_type => 'role', entity_id => grant_role_permission.role_id::text);
  end if;
  if not app_hidden.user_has_permission(v_actor, grant_role_permission.permission, v_org) then
    return app_private.refuse(v_base, v_event, 'PERMS', 'You can only grant permissions you hold yourself.',
      entity_type => 'role', entity_id => grant_role_permission.role_id::text,
      details => jsonb_build_object('permission', grant_role_permission.permission));
  end if;
  insert into app_public.role_permissions (role_id, permission)
  values (grant_role_permission.role_id, grant_role_permission.permission) on conflict do nothing;
  perform audit.record_event(v_event, 'success', jsonb_build_object('permission', grant_role_permission.permission),
    organisation_id => v_org, entity_type => 'role', entity_id => grant_role_permission.role_id::text);
  return row(grant_role_permission.role_id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.grant_role_permission(uuid, text) is
  'Adds a permission to a role (roles:manage). You can only grant permissions you hold.';
grant execute on function app_public.grant_role_permission(uuid, text) to app_anonymous;
