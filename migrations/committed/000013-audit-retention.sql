--! Previous: sha1:831de794f938e6426ccb870acc368df48e167538
--! Hash: sha1:d51b28fcba6bc7eb831f41f0e3c6392525b1c6c1
--! Message: audit-retention

-- Audit retention: partitions older than retention.audit_events are exported by the worker (compressed, checksummed)
-- and then detached and dropped through one owner-defined function — the only way audit rows ever leave.

drop table if exists audit.partition_archives cascade;
delete from config.system_settings where key = 'retention.audit_events';

insert into config.system_settings (key, value_type, default_value, value, is_public, description)
values ('retention.audit_events', 'interval', '"7 years"', '"7 years"', false,
  'How long audit events stay in the database; older monthly partitions are exported, then dropped.');

create table audit.partition_archives (
  partition_name text primary key check (partition_name ~ '^events_y[0-9]{4}m[0-9]{2}$'),
  range_from timestamptz not null,
  range_to timestamptz not null,
  events bigint not null check (events >= 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  file_name text not null,
  last_seal_seq bigint,
  archived_at timestamptz not null default app_hidden.clock_now()
);
comment on table audit.partition_archives is
  'Audit partitions that left the database: where their export is, how many events it holds and its SHA-256. Insert-only.';
create trigger _000_forbid_change before update or delete on audit.partition_archives
  for each row execute function audit.tg_events__forbid_change();
create trigger _000_forbid_truncate before truncate on audit.partition_archives
  for each statement execute function audit.tg_events__forbid_change();
alter table audit.partition_archives enable row level security;
revoke all on audit.partition_archives from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;

--! Included functions/audit.retirable_partitions.sql
/* Monthly audit partitions that ended more than retention.audit_events ago (by the Gatehouse clock), oldest first. */
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
--! EndIncluded functions/audit.retirable_partitions.sql
--! Included functions/audit.partition_rows.sql
/* Every event of one retirable partition, in chain order, for the worker's export (COPY ... TO STDOUT). */
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
--! EndIncluded functions/audit.partition_rows.sql
--! Included functions/audit.retire_partition.sql
/*
 * The only way audit rows leave the database. The worker calls it after writing the partition's export: the event
 * count must match the partition (so a half-written export cannot retire it), the export's SHA-256 and file are
 * recorded with the last seal of the partition's events, then the partition is detached and dropped.
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
--! EndIncluded functions/audit.retire_partition.sql
--! Included functions/audit.verify_chain.sql
/*
 * Recomputes the chain from seal from_seq to to_seq (all by default) and returns the first broken link: a sealed event
 * that is gone (deleted) or whose stored row no longer hashes to its seal (changed), or a seal whose hash does not
 * follow from the one before. No row: the chain holds. Events of retired partitions (audit.partition_archives) are in
 * their export, not here: their seals are taken as they stand, and the chain is checked on from them.
 */
create or replace function audit.verify_chain(from_seq bigint default 1, to_seq bigint default null)
returns table (seq bigint, event_id bigint, problem text)
language plpgsql stable security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_previous bytea;
  v_seal audit.seals;
  v_event audit.events;
begin
  select s.hash into v_previous from audit.seals s where s.seq < from_seq order by s.seq desc limit 1;
  for v_seal in
    select s.* from audit.seals s where s.seq >= from_seq and (to_seq is null or s.seq <= to_seq) order by s.seq
  loop
    select e.* into v_event from audit.events e where e.id = v_seal.event_id and e.occurred_at = v_seal.event_occurred_at;
    if v_event.id is null then
      if exists (select 1 from audit.partition_archives a
                 where v_seal.event_occurred_at >= a.range_from and v_seal.event_occurred_at < a.range_to) then
        v_previous := v_seal.hash;
        continue;
      end if;
      return query select v_seal.seq, v_seal.event_id, 'the sealed event is missing'::text;
      return;
    end if;
    if extensions.digest(coalesce(v_previous, '\x'::bytea) || audit.event_bytes(v_event), 'sha256') <> v_seal.hash then
      return query select v_seal.seq, v_seal.event_id, 'the event or the chain before it was changed'::text;
      return;
    end if;
    v_previous := v_seal.hash;
  end loop;
end;
$$;
comment on function audit.verify_chain(bigint, bigint) is
  'Checks the audit hash chain between two seals and returns the first broken link, or nothing when it holds.';
grant execute on function audit.verify_chain(bigint, bigint) to app_worker;
--! EndIncluded functions/audit.verify_chain.sql
