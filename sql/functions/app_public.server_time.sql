create or replace function app_public.server_time() returns timestamptz
language sql stable as $$
  select app_hidden.clock_now()
$$;
comment on function app_public.server_time() is
  'The server''s current time. Clients can use it to correct for a wrong device clock when reading expiry times.';
grant execute on function app_public.server_time() to app_anonymous, app_authenticated;
