/*
 * A flag is on for an account when it is enabled and either has no rules, lists the account in "users", or puts the
 * account in its rollout share: "percentage" compares a stable hash of flag name and account id with the share, so an
 * account keeps its answer as the share grows.
 * Definer: reads config.feature_flags, on which app_worker holds no right.
 */
create or replace function config.feature_enabled(flag_name text, user_id uuid default app_hidden.current_user_id())
returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select coalesce((
    select f.enabled and (
      f.rules = '{}'::jsonb
      or (feature_enabled.user_id is not null and coalesce(f.rules -> 'users', '[]'::jsonb) ? feature_enabled.user_id::text)
      or (
        feature_enabled.user_id is not null
        and jsonb_typeof(f.rules -> 'percentage') = 'number'
        and ('x' || left(md5(f.name || ':' || feature_enabled.user_id::text), 8))::bit(32)::bigint % 100
            < (f.rules ->> 'percentage')::numeric
      )
    )
    from config.feature_flags f
    where f.name = feature_enabled.flag_name
  ), false)
$$;
comment on function config.feature_enabled(text, uuid) is
  'Whether a feature flag is on for an account (the caller by default). Unknown flags are off.';
grant execute on function config.feature_enabled(text, uuid) to app_worker;
