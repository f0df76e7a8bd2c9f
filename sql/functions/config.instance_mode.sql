/* Definer: reads config.instance, on which app_worker holds no right. */
create or replace function config.instance_mode() returns text
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select i.mode from config.instance i
$$;
comment on function config.instance_mode() is 'The mode this database was created in: development, test or production.';
grant execute on function config.instance_mode() to app_worker;
