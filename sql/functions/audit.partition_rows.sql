/*
 * Every event of one retirable partition, in chain order, for the worker's export (COPY ... TO STDOUT).
 * Definer: reads an audit.events partition, on which app_worker holds no right.
 */
create or replace function audit.partition_rows(partition_name text) returns setof audit.events
language plpgsql stable security definer
set search_path to pg_catalog, pg_temp as $$
begin
  if not exists (select 1 from audit.retirable_partitions() r where r.partition_name = partition_rows.partition_name) then
    raise exception 'Partition % is not due for retirement.', partition_name
      using errcode = 'INVAL', hint = 'See audit.retirable_partitions().';
  end if;
  return query execute format('select * from audit.%I order by occurred_at, id', partition_name);
end;
$$;
comment on function audit.partition_rows(text) is 'The events of a partition that is due for retirement, for export.';
grant execute on function audit.partition_rows(text) to app_worker;
