/* The token's subject, but only while its session is live (app_hidden.current_session_id). */
create or replace function app_hidden.current_user_id() returns uuid
language sql stable as $$
  select case
    when app_hidden.current_session_id() is not null
      then nullif(pg_catalog.current_setting('jwt.claims.sub', true), '')::uuid
  end
$$;
comment on function app_hidden.current_user_id() is
  'The id of the account making this request while its session is live; null for anonymous callers and ended sessions.';
grant execute on function app_hidden.current_user_id() to app_anonymous, app_authenticated, app_worker;
