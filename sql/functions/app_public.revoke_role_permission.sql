/* Definer: deletes from app_public.role_permissions, which clients may not write. */
create or replace function app_public.revoke_role_permission(role_id uuid, permission text) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_event constant text := 'role.revoke_permission';
  v_refused app_public.role_change;
begin
  v_refused := app_private.require_role_management(
    row(revoke_role_permission.role_id, null, null, null)::app_public.role_change, v_event, revoke_role_permission.role_id);
  if v_refused.refusal_code is not null then return v_refused; end if;
  delete from app_public.role_permissions rp
   where rp.role_id = revoke_role_permission.role_id and rp.permission = revoke_role_permission.permission;
  perform audit.record_event(v_event, 'success', jsonb_build_object('permission', revoke_role_permission.permission),
    entity_type => 'role', entity_id => revoke_role_permission.role_id::text);
  return row(revoke_role_permission.role_id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.revoke_role_permission(uuid, text) is 'Takes a permission off a role (roles:manage).';
grant execute on function app_public.revoke_role_permission(uuid, text) to app_anonymous;
