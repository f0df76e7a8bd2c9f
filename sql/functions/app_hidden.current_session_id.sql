/*
 * The session named by the verified access token, only while it is live: not revoked, not past its absolute expiry,
 * and its account active. One primary-key lookup; policies call it as `(select ...)` so it runs once per statement.
 * This is why logout, revocation and suspension take effect on the very next request. The session is found by its id
 * alone first (`offset 0` keeps the planner from merging the subquery): with the user id also in the condition, the
 * planner sometimes chose the partial index of a user's live sessions, which an account with many sessions makes slow.
 * Definer: reads app_private.sessions (no client role may) and app_public.users (app_anonymous, app_worker may not).
 */
create or replace function app_hidden.current_session_id() returns uuid
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select s.id
  from (select x.id, x.user_id, x.revoked_at, x.absolute_expires_at from app_private.sessions x
        where x.id = nullif(pg_catalog.current_setting('jwt.claims.sid', true), '')::uuid offset 0) s
  join app_public.users u on u.id = s.user_id
  where s.user_id = nullif(pg_catalog.current_setting('jwt.claims.sub', true), '')::uuid
    and s.revoked_at is null
    and s.absolute_expires_at > app_hidden.clock_now()
    and u.status = 'active'
    and u.deleted_at is null
$$;
comment on function app_hidden.current_session_id() is 'The caller''s session while it is live; null otherwise.';
grant execute on function app_hidden.current_session_id() to app_anonymous, app_authenticated, app_worker;
