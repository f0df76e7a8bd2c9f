/*
 * The organisation the request acts in: the access token's tid claim, only while it is the session's active
 * organisation and the caller's membership there is active. So removing a member takes effect on their next request.
 * Definer: reads app_private.sessions, which no client role may read.
 */
create or replace function app_hidden.current_organization_id() returns uuid
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select s.organization_id
  from app_private.sessions s
  where s.id = app_hidden.current_session_id()
    and s.organization_id = nullif(pg_catalog.current_setting('jwt.claims.tid', true), '')::uuid
    and app_hidden.is_member(s.user_id, s.organization_id)
$$;
comment on function app_hidden.current_organization_id() is
  'The organisation this request acts in (the token''s tid), while the membership is live; null for the personal context.';
grant execute on function app_hidden.current_organization_id() to app_anonymous, app_authenticated;
