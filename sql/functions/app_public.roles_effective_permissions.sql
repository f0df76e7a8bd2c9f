/*
 * Answers only for roles the caller can see (global ones, or those of their organisations).
 * Definer: reads app_private.role_ancestors (the closure table), which no client role may read.
 */
create or replace function app_public.roles_effective_permissions(r app_public.roles) returns setof text
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select distinct rp.permission
  from app_private.role_ancestors a
  join app_public.role_permissions rp on rp.role_id = a.ancestor_id
  where a.role_id = r.id
    and (r.organization_id is null or app_hidden.is_member(app_hidden.current_user_id(), r.organization_id))
  order by 1
$$;
comment on function app_public.roles_effective_permissions(app_public.roles) is
  'Every permission the role gives: its own and those of all its ancestors.';
grant execute on function app_public.roles_effective_permissions(app_public.roles) to app_authenticated;
