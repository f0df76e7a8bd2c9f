/*
 * Appends the events not yet sealed to the hash chain, oldest first, at most batch_size per call; returns how many it
 * sealed. Chain order is seal order, so an event whose transaction commits late is sealed when it becomes visible,
 * never skipped: candidates are every unsealed event from a day before the newest sealed one (no transaction stays open
 * that long). Sealers run one at a time (advisory lock); logins never wait on them, since events are only read.
 * Definer: reads audit.events and appends to audit.seals, on which app_worker holds no right.
 */
create or replace function audit.seal_events(batch_size integer default 1000) returns integer
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_previous bytea;
  v_since timestamptz;
  v_event audit.events;
  v_count integer := 0;
begin
  perform pg_advisory_xact_lock(hashtextextended('audit.seal_events', 0));
  select s.hash into v_previous from audit.seals s order by s.seq desc limit 1;
  select max(s.event_occurred_at) - interval '1 day' into v_since from audit.seals s;
  for v_event in
    select e.* from audit.events e
    where e.occurred_at >= coalesce(v_since, '-infinity'::timestamptz)
      and not exists (select 1 from audit.seals s where s.event_id = e.id and s.event_occurred_at = e.occurred_at)
    order by e.occurred_at, e.id
    limit batch_size
  loop
    v_previous := extensions.digest(coalesce(v_previous, '\x'::bytea) || audit.event_bytes(v_event), 'sha256');
    insert into audit.seals (event_id, event_occurred_at, hash) values (v_event.id, v_event.occurred_at, v_previous);
    v_count := v_count + 1;
  end loop;
  return v_count;
end;
$$;
comment on function audit.seal_events(integer) is 'Appends up to batch_size unsealed audit events to the hash chain; returns how many.';
grant execute on function audit.seal_events(integer) to app_worker;
