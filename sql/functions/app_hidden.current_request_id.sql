create or replace function app_hidden.current_request_id() returns text
language sql stable as $$
  select nullif(pg_catalog.current_setting('request.id', true), '')
$$;
comment on function app_hidden.current_request_id() is 'The request id the gateway set for this transaction (null outside a request).';
grant execute on function app_hidden.current_request_id() to app_anonymous, app_authenticated, app_worker;
