/*
 * Monthly audit partitions that ended more than retention.audit_events ago (by the Gatehouse clock), oldest first.
 * Definer: reads only catalogues, the clock and a setting, all open to app_worker today; kept definer like every
 * audit function, so app_worker needs EXECUTE only, whatever the body reads later.
 */
create or replace function audit.retirable_partitions()
returns table (partition_name text, range_from timestamptz, range_to timestamptz)
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select p.name, p.range_from, p.range_from + interval '1 month'
  from (
    select c.relname::text as name,
           make_timestamptz(substr(c.relname, 9, 4)::int, substr(c.relname, 14, 2)::int, 1, 0, 0, 0, 'UTC') as range_from
    from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'audit.events'::regclass and c.relname ~ '^events_y[0-9]{4}m[0-9]{2}$'
  ) p
  where p.range_from + interval '1 month' <= app_hidden.clock_now() - config.setting_interval('retention.audit_events')
  order by p.range_from
$$;
comment on function audit.retirable_partitions() is 'The audit partitions old enough to be exported and dropped.';
grant execute on function audit.retirable_partitions() to app_worker;
