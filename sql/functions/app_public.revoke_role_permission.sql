create or replace function app_public.revoke_role_permission(role_id uuid, permission text) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_refusal text[] := app_private.role_management_refusal(app_hidden.current_user_id(), revoke_role_permission.role_id,
    'role.revoke_permission');
begin
  if v_refusal is not null then
    return row(revoke_role_permission.role_id, v_refusal[1], v_refusal[2], null)::app_public.role_change;
  end if;
  delete from app_public.role_permissions rp
   where rp.role_id = revoke_role_permission.role_id and rp.permission = revoke_role_permission.permission;
  perform audit.record_event('role.revoke_permission', 'success', jsonb_build_object('permission', revoke_role_permission.permission),
    entity_type => 'role', entity_id => revoke_role_permission.role_id::text);
  return row(revoke_role_permission.role_id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.revoke_role_permission(uuid, text) is 'Takes a permission off a role (roles:manage).';
grant execute on function app_public.revoke_role_permission(uuid, text) to app_anonymous;
