/*
 * The hot check: does the user hold the permission in the organisation? A grant counts while it has not expired and,
 * when it is scoped to the organisation, while the user's membership is active; global grants count everywhere. One
 * join through the closure table, no recursion (docs/authorization.md).
 * Definer: reads app_private.role_ancestors, and must see all grants of the user, not only those RLS shows the caller.
 */
create or replace function app_hidden.user_has_permission(user_id uuid, permission text, organization_id uuid)
returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select exists (
    select 1
    from app_public.user_roles ur
    join app_private.role_ancestors ra on ra.role_id = ur.role_id
    join app_public.role_permissions rp on rp.role_id = ra.ancestor_id and rp.permission = user_has_permission.permission
    where ur.user_id = user_has_permission.user_id
      and (ur.expires_at is null or ur.expires_at > app_hidden.clock_now())
      and (ur.organization_id is null
           or (ur.organization_id = user_has_permission.organization_id
               and app_hidden.is_member(user_has_permission.user_id, user_has_permission.organization_id)))
  )
$$;
comment on function app_hidden.user_has_permission(uuid, text, uuid) is
  'Whether a user holds a permission in an organisation (null: global grants only), through any role and its ancestors.';
grant execute on function app_hidden.user_has_permission(uuid, text, uuid) to app_authenticated;
