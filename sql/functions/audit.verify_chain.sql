/*
 * Recomputes the chain from seal from_seq to to_seq (all by default) and returns the first broken link: a sealed event
 * that is gone (deleted) or whose stored row no longer hashes to its seal (changed), or a seal whose hash does not
 * follow from the one before. No row: the chain holds. Events of retired partitions (audit.partition_archives) are in
 * their export, not here: their seals are taken as they stand, and the chain is checked on from them.
 * Definer: reads audit.seals, audit.events and audit.partition_archives, on which app_worker holds no right.
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
