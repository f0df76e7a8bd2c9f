/*
 * The audit row of a refused attempt, with the severity of its code. The reason is the code unless the function
 * records the real reason behind a generic answer (wrong_password behind WRONG) or a refusal the client is not told
 * about (email_in_use, with no code). Called by app_private.refuse; directly only for the refusals a client must not
 * see, which answer as if they had succeeded.
 * Definer: writes audit.events, which no client role may write.
 */
create or replace function app_private.record_refusal(
  event_type text,
  code text,
  reason text default null,
  subject_id uuid default null,
  organisation_id uuid default null,
  entity_type text default null,
  entity_id text default null,
  details jsonb default '{}',
  personal_values jsonb default null
) returns void
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  perform audit.record_event(record_refusal.event_type, 'refused', coalesce(record_refusal.details, '{}'),
    reason => coalesce(record_refusal.reason, record_refusal.code),
    severity => app_private.refusal_severity(record_refusal.code),
    subject_id => record_refusal.subject_id, organisation_id => record_refusal.organisation_id,
    entity_type => record_refusal.entity_type, entity_id => record_refusal.entity_id,
    personal_values => record_refusal.personal_values);
end;
$$;
comment on function app_private.record_refusal(text, text, text, uuid, uuid, text, text, jsonb, jsonb) is
  'Audits a refused attempt with the severity of its code (reason: the code, unless a more precise one is given).';
