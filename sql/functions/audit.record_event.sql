/*
 * The single entry point for writing the audit trail. Callers pass what happened; the request context (request id,
 * client address, user agent, database role, acting user) is read here so that no caller can forget or forge it.
 */
create or replace function audit.record_event(
  event_type text,
  outcome text default 'success',
  details jsonb default '{}',
  reason text default null,
  subject_id uuid default null,
  severity text default 'info',
  entity_type text default null,
  entity_id text default null,
  organisation_id uuid default null
) returns bigint
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_id bigint;
begin
  insert into audit.events (
    event_type, outcome, severity, reason, actor_id, subject_id, organisation_id, entity_type, entity_id,
    details, request_id, client_ip, user_agent, db_role
  ) values (
    record_event.event_type, record_event.outcome, coalesce(record_event.severity, 'info'), record_event.reason,
    app_hidden.current_user_id(), record_event.subject_id, record_event.organisation_id, record_event.entity_type,
    record_event.entity_id, coalesce(record_event.details, '{}'), app_hidden.current_request_id(),
    app_hidden.current_client_ip(), left(app_hidden.current_user_agent(), 512),
    nullif(pg_catalog.current_setting('role', true), 'none')
  )
  returning id into v_id;
  return v_id;
end;
$$;
comment on function audit.record_event(text, text, jsonb, text, uuid, text, text, text, uuid) is
  'Appends one event to the audit trail, with the request context of the current transaction. Returns the event id.';
grant execute on function audit.record_event(text, text, jsonb, text, uuid, text, text, text, uuid) to app_worker;
