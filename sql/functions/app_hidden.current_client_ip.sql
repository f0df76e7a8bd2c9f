create or replace function app_hidden.current_client_ip() returns inet
language sql stable as $$
  select nullif(pg_catalog.current_setting('request.ip', true), '')::inet
$$;
comment on function app_hidden.current_client_ip() is
  'The client address the gateway set for this transaction (trusted-proxy header or socket address).';
grant execute on function app_hidden.current_client_ip() to app_anonymous, app_authenticated, app_worker;
