/*
 * One line for the refusals of management functions: records the refused attempt in the audit trail (it sticks: the
 * caller returns the refusal instead of raising, docs/refusals.md) and gives back the message for the caller to return.
 */
create or replace function app_private.refuse(
  event_type text, code text, message text, entity_type text default null, entity_id text default null,
  details jsonb default '{}'
) returns text
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  perform audit.record_event(event_type, 'refused', details, reason => code,
    severity => case when code in ('PERMS', 'LASTA') then 'warning' else 'notice' end,
    entity_type => entity_type, entity_id => entity_id);
  return message;
end;
$$;
comment on function app_private.refuse(text, text, text, text, text, jsonb) is
  'Audits a refused management attempt and returns the message to show.';
