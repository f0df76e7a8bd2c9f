/*
 * Your live sessions; where each was opened from comes encrypted (personal) and the gateway decrypts it (ip, userAgent).
 * Definer: reads app_private.sessions, which no client role may read; only the sessions of the caller come back.
 */
create or replace function app_public.my_sessions() returns setof app_public.session_info
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select s.id, s.created_at, s.last_refreshed_at, s.absolute_expires_at, null::inet, null::text, s.device_info,
         s.id = app_hidden.current_session_id(), s.personal
  from app_private.sessions s
  where s.user_id = app_hidden.current_user_id()
    and s.revoked_at is null
    and s.absolute_expires_at > app_hidden.clock_now()
    and s.last_refreshed_at + config.setting_interval('auth.session_idle_timeout') > app_hidden.clock_now()
  order by s.created_at desc
$$;
comment on function app_public.my_sessions() is
  'Your live sessions, newest first: where and when each started, when it was last refreshed, and which is this one.';
grant execute on function app_public.my_sessions() to app_authenticated;
