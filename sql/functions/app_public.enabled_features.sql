/* Definer: reads config.feature_flags through config.feature_enabled; its callers may use neither. */
create or replace function app_public.enabled_features() returns text[]
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select coalesce(array_agg(f.name order by f.name), '{}')
  from config.feature_flags f
  where f.is_public and config.feature_enabled(f.name, app_hidden.current_user_id())
$$;
comment on function app_public.enabled_features() is
  'The names of the public feature flags that are switched on for you. Flags that are not public are never listed.';
grant execute on function app_public.enabled_features() to app_anonymous, app_authenticated;
