/*
 * The only way audit rows leave the database. The worker calls it after writing the partition's export: the event
 * count must match the partition (so a half-written export cannot retire it), the export's SHA-256 and file are
 * recorded with the last seal of the partition's events, then the partition is detached and dropped.
 * Definer: detaches and drops an audit partition (owner only) and writes audit.partition_archives.
 */
create or replace function audit.retire_partition(partition_name text, events bigint, sha256 text, file_name text)
returns void
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_partition record;
  v_count bigint;
begin
  select r.* into v_partition from audit.retirable_partitions() r where r.partition_name = retire_partition.partition_name;
  if v_partition.partition_name is null then
    raise exception 'Partition % is not due for retirement.', partition_name
      using errcode = 'INVAL', hint = 'See audit.retirable_partitions().';
  end if;
  execute format('select count(*) from audit.%I', partition_name) into v_count;
  if v_count <> events then
    raise exception 'The export of % holds % events, the partition %.', partition_name, events, v_count
      using errcode = 'INVAL', hint = 'Export the partition again.';
  end if;
  insert into audit.partition_archives (partition_name, range_from, range_to, events, sha256, file_name, last_seal_seq)
  values (partition_name, v_partition.range_from, v_partition.range_to, events, sha256, file_name,
          (select max(s.seq) from audit.seals s
           where s.event_occurred_at >= v_partition.range_from and s.event_occurred_at < v_partition.range_to));
  execute format('alter table audit.events detach partition audit.%I', partition_name);
  execute format('drop table audit.%I', partition_name);
  perform audit.record_event('audit.partition_retired', 'success',
    jsonb_build_object('partition', partition_name, 'events', events, 'sha256', sha256, 'file', file_name),
    severity => 'notice');
end;
$$;
comment on function audit.retire_partition(text, bigint, text, text) is
  'Records an exported audit partition''s checksum, then detaches and drops it (worker only, after export).';
grant execute on function audit.retire_partition(text, bigint, text, text) to app_worker;
