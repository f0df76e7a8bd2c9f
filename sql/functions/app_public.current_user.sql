/*
 * Definer: app_anonymous holds no right on app_public.users at all; so anonymous callers get null, not an error.
 */
create or replace function app_public."current_user"() returns app_public.users
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select u.* from app_public.users u where u.id = app_hidden.current_user_id()
$$;
comment on function app_public."current_user"() is 'Your account, or null when you are not logged in (or your session has ended).';
grant execute on function app_public."current_user"() to app_anonymous, app_authenticated;
