/*
 * Per organisation and day (UTC): members who joined (new_members), successful logins of its members, and its active
 * members (a successful login or refresh). Membership is taken at the moment of each event (joined before it, not
 * ended by then), so an account counts for every organisation it belonged to that day. Counts are suppressed as in
 * analytics.daily_activity: fewer people than analytics.min_group_size gives null, and an all-null row is left out.
 * Definer: reads app_public.memberships and audit.events, which app_analytics may not read.
 */
create or replace function analytics.organization_daily_activity()
returns table (organization_id uuid, day date, new_members integer, logins integer, active_users integer)
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  with k as (
    select config.setting_integer('analytics.min_group_size') as min_people
  ), members as (
    select m.organization_id, m.user_id, m.joined_at, m.ended_at
    from app_public.memberships m
    where m.joined_at is not null
  ), joins as (
    select m.organization_id, (m.joined_at at time zone 'UTC')::date as day, count(distinct m.user_id)::integer as people
    from members m
    group by 1, 2
  ), activity as (
    select m.organization_id, (e.occurred_at at time zone 'UTC')::date as day,
           count(*) filter (where e.event_type = 'auth.login')::integer as logins,
           count(distinct e.subject_id) filter (where e.event_type = 'auth.login')::integer as login_people,
           count(distinct e.subject_id)::integer as active_people
    from audit.events e
    join members m on m.user_id = e.subject_id and m.joined_at <= e.occurred_at
                  and (m.ended_at is null or m.ended_at > e.occurred_at)
    where e.event_type in ('auth.login', 'auth.refresh') and e.outcome = 'success'
    group by 1, 2
  ), shown as (
    select g.organization_id, g.day,
           case when j.people >= k.min_people then j.people end as new_members,
           case when a.login_people >= k.min_people then a.logins end as logins,
           case when a.active_people >= k.min_people then a.active_people end as active_users
    from (select organization_id, day from joins union select organization_id, day from activity) g
    cross join k
    left join joins j on j.organization_id = g.organization_id and j.day = g.day
    left join activity a on a.organization_id = g.organization_id and a.day = g.day
  )
  select * from shown
  where new_members is not null or logins is not null or active_users is not null
  order by organization_id, day
$$;
comment on function analytics.organization_daily_activity() is
  'New members, logins and active members per organisation and day (UTC); counts of fewer people than analytics.min_group_size are null.';
grant execute on function analytics.organization_daily_activity() to app_analytics;
