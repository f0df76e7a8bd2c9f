/*
 * Your consent history, newest first: every grant and withdrawal, per purpose and version.
 * Definer: reads app_private.consents, which no client role may read; only the rows of the caller come back.
 */
create or replace function app_public.my_consents() returns setof app_public.consent
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select row(c.id, c.purpose, c.version, c.granted, c.recorded_at)::app_public.consent
  from app_private.consents c
  where c.user_id = app_hidden.current_user_id()
  order by c.recorded_at desc, c.id desc
$$;
comment on function app_public.my_consents() is 'Your consent history, newest first.';
grant execute on function app_public.my_consents() to app_authenticated;
