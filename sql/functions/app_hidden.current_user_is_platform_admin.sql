create or replace function app_hidden.current_user_is_platform_admin() returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select exists (
    select 1 from app_private.platform_admins a where a.user_id = app_hidden.current_user_id()
  )
$$;
comment on function app_hidden.current_user_is_platform_admin() is 'Whether the caller is a platform administrator.';
grant execute on function app_hidden.current_user_is_platform_admin() to app_anonymous, app_authenticated;
