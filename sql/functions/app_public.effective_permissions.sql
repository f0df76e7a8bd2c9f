/*
 * Your own permissions, or (with roles:read in that organisation) someone else's.
 * Definer: calls app_hidden.user_permissions (app_private.role_ancestors), which no client role may execute.
 */
create or replace function app_public.effective_permissions(user_id uuid, organization_id uuid default null)
returns setof text
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select p from app_hidden.user_permissions(effective_permissions.user_id, effective_permissions.organization_id) p
  where effective_permissions.user_id = app_hidden.current_user_id()
     or app_hidden.user_has_permission(app_hidden.current_user_id(), 'roles:read', effective_permissions.organization_id)
  order by 1
$$;
comment on function app_public.effective_permissions(uuid, uuid) is
  'Every permission a user holds in an organisation, through all their roles and the roles those inherit from.';
grant execute on function app_public.effective_permissions(uuid, uuid) to app_authenticated;
