/*
 * What the chain hashes for an event: its stored values, column by column in a fixed order, as JSON text that does not
 * depend on the session (time zone and date style are fixed here). A fixed list, not the whole row, so that adding a
 * column to audit.events later does not change the bytes, and so the hash, of events sealed before. The encrypted
 * personal part (added in migration 000015) is appended, as base64 of the ciphertext, only when present: events
 * written before it keep their bytes, and the chain covers the ciphertext exactly as stored.
 */
create or replace function audit.event_bytes(e audit.events) returns bytea
language sql stable
set search_path to pg_catalog, pg_temp
set timezone to 'UTC'
set datestyle to 'ISO, YMD'
set intervalstyle to 'postgres' as $$
  select pg_catalog.convert_to((pg_catalog.jsonb_build_array(
    e.id, e.occurred_at, e.event_type, e.outcome, e.severity, e.reason, e.actor_id, e.subject_id, e.organisation_id,
    e.entity_type, e.entity_id, e.details, e.request_id, e.client_ip, e.user_agent, e.db_role
  ) || case when e.personal is null then '[]'::jsonb
            else pg_catalog.jsonb_build_array(pg_catalog.encode(e.personal, 'base64')) end)::text, 'UTF8')
$$;
comment on function audit.event_bytes(audit.events) is 'The canonical bytes of an audit event, as the hash chain reads them.';
