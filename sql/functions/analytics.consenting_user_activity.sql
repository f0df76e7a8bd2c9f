/*
 * Per consenting account (as in analytics.consenting_users, decided in this query) and day (UTC): its successful
 * logins and refreshes, under its pseudonym. Days before the consent are included: consent covers the use of the
 * data, and a withdrawal hides every day again.
 * Definer: reads app_public.users, app_private.consents and audit.events, which app_analytics may not read.
 */
create or replace function analytics.consenting_user_activity()
returns table (pseudonym text, day date, logins integer, refreshes integer)
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  with consenting as materialized (
    select u.id
    from app_public.users u
    where u.deleted_at is null and u.processing_restricted_at is null
      and app_private.consent_granted(u.id, 'analytics')
  )
  select app_private.analytics_pseudonym(c.id), (e.occurred_at at time zone 'UTC')::date,
         count(*) filter (where e.event_type = 'auth.login')::integer,
         count(*) filter (where e.event_type = 'auth.refresh')::integer
  from consenting c
  join audit.events e on e.subject_id = c.id
  where e.event_type in ('auth.login', 'auth.refresh') and e.outcome = 'success'
  group by c.id, 2
  order by 1, 2
$$;
comment on function analytics.consenting_user_activity() is
  'Logins and refreshes per day (UTC) of each account whose latest analytics consent is granted, under its pseudonym.';
grant execute on function analytics.consenting_user_activity() to app_analytics;
