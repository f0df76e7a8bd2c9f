/*
 * The caller's account id, from the verified token's subject that the gateway places in `jwt.claims.sub`.
 * The authentication issue narrows this to sessions that are still live.
 */
create or replace function app_hidden.current_user_id() returns uuid
language sql stable as $$
  select nullif(pg_catalog.current_setting('jwt.claims.sub', true), '')::uuid
$$;
comment on function app_hidden.current_user_id() is 'The id of the account making this request, or null for anonymous callers.';
grant execute on function app_hidden.current_user_id() to app_anonymous, app_authenticated, app_worker;
