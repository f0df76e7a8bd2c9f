/*
 * The account of a fresh login. Needs the session id as well as the user id, both of which only the login returned.
 * Definer: reads app_private.sessions and app_public.users, on which app_anonymous holds no right.
 */
create or replace function app_public.login_result_user(r app_public.login_result) returns app_public.users
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select u.*
  from app_public.users u
  join app_private.sessions s on s.user_id = u.id
  where u.id = r.user_id and s.id = r.session_id and s.revoked_at is null
$$;
comment on function app_public.login_result_user(app_public.login_result) is $$@behavior -queryField
The account you are now logged in as.$$;
grant execute on function app_public.login_result_user(app_public.login_result) to app_anonymous;
