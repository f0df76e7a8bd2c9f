create or replace function app_public.current_user_security() returns app_public.security_summary
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select row(
    s.password_changed_at, s.last_login_at, s.last_login_ip,
    (select count(*)::integer from app_private.sessions x
      where x.user_id = s.user_id and x.revoked_at is null and x.absolute_expires_at > app_hidden.clock_now())
  )::app_public.security_summary
  from app_private.user_security s
  where s.user_id = app_hidden.current_user_id()
$$;
comment on function app_public.current_user_security() is
  'When your password last changed, your last login and from where, and how many sessions are live.';
grant execute on function app_public.current_user_security() to app_authenticated;
