/*
 * Your account's security facts. Where the last login came from is read from the newest session's encrypted part.
 * Definer: reads app_private.user_security and app_private.sessions, which no client role may read.
 */
create or replace function app_public.current_user_security() returns app_public.security_summary
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select row(
    s.password_changed_at, s.last_login_at, null::inet,
    (select count(*)::integer from app_private.sessions x
      where x.user_id = s.user_id and x.revoked_at is null and x.absolute_expires_at > app_hidden.clock_now()),
    (select x.personal from app_private.sessions x where x.user_id = s.user_id order by x.created_at desc limit 1)
  )::app_public.security_summary
  from app_private.user_security s
  where s.user_id = app_hidden.current_user_id()
$$;
comment on function app_public.current_user_security() is
  'When your password last changed, your last login and from where, and how many sessions are live.';
grant execute on function app_public.current_user_security() to app_authenticated;
