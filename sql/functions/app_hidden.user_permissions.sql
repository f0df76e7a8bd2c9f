/*
 * Definer: reads app_private.role_ancestors; must see every grant of the user, not only those RLS shows the caller.
 */
create or replace function app_hidden.user_permissions(user_id uuid, organization_id uuid) returns setof text
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select distinct rp.permission
  from app_public.user_roles ur
  join app_private.role_ancestors ra on ra.role_id = ur.role_id
  join app_public.role_permissions rp on rp.role_id = ra.ancestor_id
  where ur.user_id = user_permissions.user_id
    and (ur.expires_at is null or ur.expires_at > app_hidden.clock_now())
    and (ur.organization_id is null
         or (ur.organization_id = user_permissions.organization_id
             and app_hidden.is_member(user_permissions.user_id, user_permissions.organization_id)))
$$;
comment on function app_hidden.user_permissions(uuid, uuid) is 'Every permission a user holds in an organisation.';
