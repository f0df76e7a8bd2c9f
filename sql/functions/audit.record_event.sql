/*
 * The single entry point for writing the audit trail. Callers pass what happened; the request context (request id,
 * client address, user agent, database role, acting user) is read here so that no caller can forget or forge it.
 *
 * The personal parts of an event (client address, user agent, and any personal values the caller passes) are never
 * stored in the clear: they go, as one JSON document, into `personal`, encrypted to the key of the person the event
 * is about (the subject, else the actor; the system key when there is neither). Erasing that person destroys the key,
 * which makes the personal part unreadable without touching the row, so the hash chain still verifies.
 * Definer: writes audit.events, which is append-only and granted to no client role.
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
  organisation_id uuid default null,
  personal_values jsonb default null
) returns bigint
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_id bigint;
  v_actor_id uuid := app_hidden.current_user_id();
  v_personal jsonb := jsonb_strip_nulls(jsonb_build_object(
    'ip', host(app_hidden.current_client_ip()),
    'user_agent', left(app_hidden.current_user_agent(), 512),
    'values', nullif(record_event.personal_values, '{}'::jsonb)));
begin
  insert into audit.events (
    event_type, outcome, severity, reason, actor_id, subject_id, organisation_id, entity_type, entity_id,
    details, request_id, db_role, personal
  ) values (
    record_event.event_type, record_event.outcome, coalesce(record_event.severity, 'info'), record_event.reason,
    v_actor_id, record_event.subject_id, record_event.organisation_id, record_event.entity_type,
    record_event.entity_id, coalesce(record_event.details, '{}'), app_hidden.current_request_id(),
    nullif(pg_catalog.current_setting('role', true), 'none'),
    case when v_personal <> '{}'::jsonb
         then app_hidden.encrypt_personal(coalesce(record_event.subject_id, v_actor_id), v_personal::text) end
  )
  returning id into v_id;
  return v_id;
end;
$$;
comment on function audit.record_event(text, text, jsonb, text, uuid, text, text, text, uuid, jsonb) is
  'Appends one event to the audit trail, with the request context of the current transaction; personal parts encrypted. Returns the event id.';
grant execute on function audit.record_event(text, text, jsonb, text, uuid, text, text, text, uuid, jsonb) to app_worker;
