/* Definer: calls app_hidden.user_permissions (app_private.role_ancestors), which no client role may execute. */
create or replace function app_public.my_permissions(organization_id uuid default app_hidden.current_organization_id())
returns setof text
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select p from app_hidden.user_permissions(app_hidden.current_user_id(), my_permissions.organization_id) p order by 1
$$;
comment on function app_public.my_permissions(uuid) is
  'Every permission you hold in an organisation (by default the one your token acts in), through all your roles.';
grant execute on function app_public.my_permissions(uuid) to app_authenticated;
