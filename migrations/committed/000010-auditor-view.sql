--! Previous: sha1:ff865822a18b0242a408819641966eb458909224
--! Hash: sha1:193312da62542407fc90fa2950118b5a71673336
--! Message: auditor-view

-- The auditor's view of the audit trail: functions for events by user, by type, by time range and by request id, each
-- served by an index, and counts per type per day, for holders of audit:read (in an organisation, or globally).

drop type if exists app_public.audit_event, app_public.audit_event_count cascade;
drop function if exists app_public.audit_events(uuid, uuid, text, timestamptz, timestamptz, text);
drop function if exists app_public.audit_event_counts(timestamptz, timestamptz, uuid);
drop index if exists audit.events_organisation_idx, audit.events_time_idx;

create index events_organisation_idx on audit.events (organisation_id, occurred_at desc) where organisation_id is not null;
create index events_time_idx on audit.events (occurred_at desc);

create type app_public.audit_event as (
  id bigint,
  occurred_at timestamptz,
  event_type text,
  outcome text,
  severity text,
  reason text,
  actor_id uuid,
  subject_id uuid,
  organization_id uuid,
  entity_type text,
  entity_id text,
  details jsonb,
  request_id text,
  client_ip inet,
  user_agent text
);
comment on type app_public.audit_event is 'An entry of the audit trail: what happened, to whom, by whom, when and from where.';

create type app_public.audit_event_count as (
  day date,
  event_type text,
  outcome text,
  events bigint
);
comment on type app_public.audit_event_count is 'How many events of a type and outcome happened on a day (UTC).';

--! Included functions/app_hidden.can_read_audit.sql
/* Global audit:read reads every event; audit:read in an organisation reads that organisation's events. */
create or replace function app_hidden.can_read_audit(organization_id uuid) returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select app_hidden.user_has_permission(app_hidden.current_user_id(), 'audit:read', null)
      or (can_read_audit.organization_id is not null
          and app_hidden.user_has_permission(app_hidden.current_user_id(), 'audit:read', can_read_audit.organization_id))
$$;
comment on function app_hidden.can_read_audit(uuid) is 'Whether the caller may read the audit events of an organisation (null: all events).';
grant execute on function app_hidden.can_read_audit(uuid) to app_authenticated;
--! EndIncluded functions/app_hidden.can_read_audit.sql
--! Included functions/app_public.audit_events.sql
/*
 * The audit trail for auditors, newest first, narrowed by any of: the user it concerns (as actor or subject), event
 * type, time range (since, until), request id. Holders of audit:read in an organisation see only that organisation's events (pass
 * organizationId); global holders see all. Each filter has its index (actor, subject, type, request, time, organisation);
 * the query is built from the filters given, so each call is planned for them (never a generic plan full of ORs).
 */
create or replace function app_public.audit_events(
  organization_id uuid default null,
  user_id uuid default null,
  event_type text default null,
  since timestamptz default null,
  until timestamptz default null,
  request_id text default null
) returns setof app_public.audit_event
language plpgsql stable security definer
set search_path to pg_catalog, pg_temp as $$
begin
  if not app_hidden.can_read_audit(audit_events.organization_id) then
    return;
  end if;
  return query execute
    'select e.id, e.occurred_at, e.event_type, e.outcome, e.severity, e.reason, e.actor_id, e.subject_id,
            e.organisation_id, e.entity_type, e.entity_id, e.details, e.request_id, e.client_ip, e.user_agent
     from audit.events e where true'
    || case when audit_events.organization_id is not null then ' and e.organisation_id = $1' else '' end
    || case when audit_events.user_id is not null then ' and (e.actor_id = $2 or e.subject_id = $2)' else '' end
    || case when audit_events.event_type is not null then ' and e.event_type = $3' else '' end
    || case when audit_events.since is not null then ' and e.occurred_at >= $4' else '' end
    || case when audit_events.until is not null then ' and e.occurred_at < $5' else '' end
    || case when audit_events.request_id is not null then ' and e.request_id = $6' else '' end
    || ' order by e.occurred_at desc, e.id desc'
    using audit_events.organization_id, audit_events.user_id, audit_events.event_type, audit_events.since,
          audit_events.until, audit_events.request_id;
end;
$$;
comment on function app_public.audit_events(uuid, uuid, text, timestamptz, timestamptz, text) is
  'Audit events, newest first, by organisation, user, type, time range or request id (audit:read).';
grant execute on function app_public.audit_events(uuid, uuid, text, timestamptz, timestamptz, text) to app_authenticated;
--! EndIncluded functions/app_public.audit_events.sql
--! Included functions/app_public.audit_event_counts.sql
create or replace function app_public.audit_event_counts(
  since timestamptz,
  until timestamptz,
  organization_id uuid default null
) returns setof app_public.audit_event_count
language plpgsql stable security definer
set search_path to pg_catalog, pg_temp as $$
begin
  if not app_hidden.can_read_audit(audit_event_counts.organization_id) then
    return;
  end if;
  if audit_event_counts.until - audit_event_counts.since > interval '400 days' then
    raise exception 'Ask for at most 400 days at a time.' using errcode = 'INVAL', hint = 'Narrow the time range.';
  end if;
  return query
  select (e.occurred_at at time zone 'UTC')::date, e.event_type, e.outcome, count(*)
  from audit.events e
  where e.occurred_at >= audit_event_counts.since and e.occurred_at < audit_event_counts.until
    and (audit_event_counts.organization_id is null or e.organisation_id = audit_event_counts.organization_id)
  group by 1, 2, 3
  order by 1, 2, 3;
end;
$$;
comment on function app_public.audit_event_counts(timestamptz, timestamptz, uuid) is
  'Events per type and outcome per day (UTC) from since until until, at most 400 days (audit:read).';
grant execute on function app_public.audit_event_counts(timestamptz, timestamptz, uuid) to app_authenticated;
--! EndIncluded functions/app_public.audit_event_counts.sql
