/*
 * Lets the gateway's readiness check compare the database's latest migration with the code's, without any table rights.
 * Definer: reads graphile_migrate.migrations, on which authenticator holds no right.
 */
create or replace function app_hidden.schema_version() returns text
language plpgsql stable security definer
set search_path to pg_catalog, pg_temp as $$
begin
  return (select m.filename from graphile_migrate.migrations m order by m.date desc, m.filename desc limit 1);
end;
$$;
comment on function app_hidden.schema_version() is 'The file name of the latest committed migration applied to this database.';
grant execute on function app_hidden.schema_version() to authenticator;
