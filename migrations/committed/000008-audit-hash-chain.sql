--! Previous: sha1:bbf57091a9c8bc7240ca1bda963665fe67a2b14c
--! Hash: sha1:869d42cf5201323366ed40508ddf3919a73ac91d
--! Message: audit-hash-chain

-- The audit trail's hash chain: an insert-only seals table, appended by the worker in seal order, and a verifier that
-- finds the first broken link. (First part of the audit issue; see docs/audit.md.)

/* current.sql is re-run on every save by `npm run db:watch`: start from a clean slate so it stays idempotent. */
drop table if exists audit.seals cascade;

create table audit.seals (
  seq bigint generated always as identity primary key,
  event_id bigint not null,
  event_occurred_at timestamptz not null,
  hash bytea not null check (length(hash) = 32),
  sealed_at timestamptz not null default app_hidden.clock_now(),
  unique (event_id, event_occurred_at)
);
create index seals_event_time_idx on audit.seals (event_occurred_at);
comment on table audit.seals is
  'The hash chain over audit events, in seal order: hash = SHA-256(previous hash || the event row as stored). Insert-only.';

create trigger _000_forbid_change before update or delete on audit.seals
  for each row execute function audit.tg_events__forbid_change();
create trigger _000_forbid_truncate before truncate on audit.seals
  for each statement execute function audit.tg_events__forbid_change();
revoke all on audit.seals from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
alter table audit.seals enable row level security;

--! Included functions/audit.event_bytes.sql
/*
 * What the chain hashes for an event: its stored values, column by column in a fixed order, as JSON text that does not
 * depend on the session (time zone and date style are fixed here). A fixed list, not the whole row, so that adding a
 * column to audit.events later does not change the bytes, and so the hash, of events sealed before.
 */
create or replace function audit.event_bytes(e audit.events) returns bytea
language sql stable
set search_path to pg_catalog, pg_temp
set timezone to 'UTC'
set datestyle to 'ISO, YMD'
set intervalstyle to 'postgres' as $$
  select pg_catalog.convert_to(pg_catalog.jsonb_build_array(
    e.id, e.occurred_at, e.event_type, e.outcome, e.severity, e.reason, e.actor_id, e.subject_id, e.organisation_id,
    e.entity_type, e.entity_id, e.details, e.request_id, e.client_ip, e.user_agent, e.db_role
  )::text, 'UTF8')
$$;
comment on function audit.event_bytes(audit.events) is 'The canonical bytes of an audit event, as the hash chain reads them.';
--! EndIncluded functions/audit.event_bytes.sql
--! Included functions/audit.seal_events.sql
/*
 * Appends the events not yet sealed to the hash chain, oldest first, at most batch_size per call; returns how many it
 * sealed. Chain order is seal order, so an event whose transaction commits late is sealed when it becomes visible,
 * never skipped: candidates are every unsealed event from a day before the newest sealed one (no transaction stays open
 * that long). Sealers run one at a time (advisory lock); logins never wait on them, since events are only read.
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
--! EndIncluded functions/audit.seal_events.sql
--! Included functions/audit.verify_chain.sql
/*
 * Recomputes the chain from seal from_seq to to_seq (all by default) and returns the first broken link: a sealed event
 * that is gone (deleted) or whose stored row no longer hashes to its seal (changed), or a seal whose hash does not
 * follow from the one before. No row: the chain holds.
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
