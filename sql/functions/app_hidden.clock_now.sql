/*
 * The one clock every time rule reads. In development and test databases it adds the offset kept in config.clock, so a
 * test can move time forward for every later transaction (HTTP requests, worker jobs) without sleeping. Production
 * databases ignore the offset, whatever it says.
 * Definer: reads config.clock and config.instance, on which no client role holds a right.
 */
create or replace function app_hidden.clock_now() returns timestamptz
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select pg_catalog.now() + coalesce(
    (select c.offset_by from config.clock c join config.instance i on i.mode <> 'production'),
    interval '0'
  )
$$;
comment on function app_hidden.clock_now() is
  'The current transaction time, moved by the test clock offset in development and test databases only.';
grant execute on function app_hidden.clock_now() to authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
