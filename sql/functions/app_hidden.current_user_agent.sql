create or replace function app_hidden.current_user_agent() returns text
language sql stable as $$
  select nullif(pg_catalog.current_setting('request.user_agent', true), '')
$$;
comment on function app_hidden.current_user_agent() is 'The client''s User-Agent header for this transaction, cut to 512 characters by the gateway.';
grant execute on function app_hidden.current_user_agent() to app_anonymous, app_authenticated, app_worker;
