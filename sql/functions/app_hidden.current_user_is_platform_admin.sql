/*
 * Platform administrators hold settings:manage through a global grant (super_admin, made by npm run create-admin).
 * Definer: calls app_hidden.user_has_permission, which app_anonymous may not execute (anonymous callers get false).
 */
create or replace function app_hidden.current_user_is_platform_admin() returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select coalesce(app_hidden.user_has_permission(app_hidden.current_user_id(), 'settings:manage', null), false)
$$;
comment on function app_hidden.current_user_is_platform_admin() is 'Whether the caller may change system settings (settings:manage, globally).';
grant execute on function app_hidden.current_user_is_platform_admin() to app_anonymous, app_authenticated;
