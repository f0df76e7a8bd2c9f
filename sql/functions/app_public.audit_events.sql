/*
 * The audit trail for auditors, newest first, narrowed by any of: the user it concerns (as actor or subject), event
 * type, time range (since, until), request id. Holders of audit:read in an organisation see only that organisation's events (pass
 * organizationId); global holders see all. Each filter has its index (actor, subject, type, request, time, organisation);
 * the query is built from the filters given, so each call is planned for them (never a generic plan full of ORs).
 * The personal part comes out encrypted, and only to global auditors; the gateway decrypts it for them (clientIp,
 * userAgent, personalValues). An organisation auditor sees who did what and when in the organisation, not from where.
 * At most the newest 1,000 matching events come back: GraphQL pages over what the function returns, so without a bound
 * a broad filter (a common type over a month) would make it produce every match first; with it, the type and time
 * indexes read only the newest rows. Narrow by time to reach older events.
 * Definer: reads audit.events, which no client role may read; can_read_audit is the gate.
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
            e.organisation_id, e.entity_type, e.entity_id, e.details, e.request_id,
            case when $7 then e.client_ip end, case when $7 then e.user_agent end, case when $7 then e.personal end
     from audit.events e where true'
    || case when audit_events.organization_id is not null then ' and e.organisation_id = $1' else '' end
    || case when audit_events.user_id is not null then ' and (e.actor_id = $2 or e.subject_id = $2)' else '' end
    || case when audit_events.event_type is not null then ' and e.event_type = $3' else '' end
    || case when audit_events.since is not null then ' and e.occurred_at >= $4' else '' end
    || case when audit_events.until is not null then ' and e.occurred_at < $5' else '' end
    || case when audit_events.request_id is not null then ' and e.request_id = $6' else '' end
    || ' order by e.occurred_at desc, e.id desc limit 1000'
    using audit_events.organization_id, audit_events.user_id, audit_events.event_type, audit_events.since,
          audit_events.until, audit_events.request_id,
          /* The personal part (client IP, user agent, personal values) only to global auditors. */
          app_hidden.user_has_permission(app_hidden.current_user_id(), 'audit:read', null);
end;
$$;
comment on function app_public.audit_events(uuid, uuid, text, timestamptz, timestamptz, text) is
  'Audit events, newest first (at most 1,000: narrow by time for older ones), by organisation, user, type, time range or request id (audit:read).';
grant execute on function app_public.audit_events(uuid, uuid, text, timestamptz, timestamptz, text) to app_authenticated;
