--! Previous: sha1:35521677a20efc0f16b87bbff2f3d463417d2715
--! Hash: sha1:831de794f938e6426ccb870acc368df48e167538
--! Message: default-partition-alert

-- An alert when audit events land in the default partition (partition upkeep fell behind).

--! Included functions/audit.default_partition_rows.sql
/* How many events sit in the default partition: any at all means partition upkeep fell behind (the worker alerts). */
create or replace function audit.default_partition_rows() returns bigint
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select count(*) from audit.events_default
$$;
comment on function audit.default_partition_rows() is 'The number of audit events in the default partition (should be 0).';
grant execute on function audit.default_partition_rows() to app_worker;
--! EndIncluded functions/audit.default_partition_rows.sql
