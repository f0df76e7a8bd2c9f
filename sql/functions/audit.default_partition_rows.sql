/*
 * How many events sit in the default partition: any at all means partition upkeep fell behind (the worker alerts).
 * Definer: reads audit.events_default, on which app_worker holds no right.
 */
create or replace function audit.default_partition_rows() returns bigint
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select count(*) from audit.events_default
$$;
comment on function audit.default_partition_rows() is 'The number of audit events in the default partition (should be 0).';
grant execute on function audit.default_partition_rows() to app_worker;
