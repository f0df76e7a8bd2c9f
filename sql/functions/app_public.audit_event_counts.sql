/* Definer: reads audit.events, which no client role may read; can_read_audit is the gate. */
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
