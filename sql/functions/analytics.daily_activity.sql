/*
 * Per day (UTC): accounts created (sign_ups), successful logins, and active users (accounts with a successful login
 * or refresh). Everyone is counted, consent or not, because only counts leave: a count that covers fewer people than
 * the setting analytics.min_group_size is null, and a day whose every count is suppressed is left out. Logins are
 * suppressed by the number of people who logged in, not by the number of logins. No argument: the caller chooses
 * no group, so none can be made small on purpose.
 * Definer: reads app_public.users and audit.events, which app_analytics may not read.
 */
create or replace function analytics.daily_activity()
returns table (day date, sign_ups integer, logins integer, active_users integer)
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  with k as (
    select config.setting_integer('analytics.min_group_size') as min_people
  ), sign_ups as (
    select (u.created_at at time zone 'UTC')::date as day, count(*)::integer as people
    from app_public.users u
    group by 1
  ), activity as (
    select (e.occurred_at at time zone 'UTC')::date as day,
           count(*) filter (where e.event_type = 'auth.login')::integer as logins,
           count(distinct e.subject_id) filter (where e.event_type = 'auth.login')::integer as login_people,
           count(distinct e.subject_id)::integer as active_people
    from audit.events e
    where e.event_type in ('auth.login', 'auth.refresh') and e.outcome = 'success' and e.subject_id is not null
    group by 1
  ), shown as (
    select d.day,
           case when s.people >= k.min_people then s.people end as sign_ups,
           case when a.login_people >= k.min_people then a.logins end as logins,
           case when a.active_people >= k.min_people then a.active_people end as active_users
    from (select day from sign_ups union select day from activity) d
    cross join k
    left join sign_ups s on s.day = d.day
    left join activity a on a.day = d.day
  )
  select * from shown
  where sign_ups is not null or logins is not null or active_users is not null
  order by day
$$;
comment on function analytics.daily_activity() is
  'Sign-ups, logins and active users per day (UTC); a count of fewer people than analytics.min_group_size is null.';
grant execute on function analytics.daily_activity() to app_analytics;
