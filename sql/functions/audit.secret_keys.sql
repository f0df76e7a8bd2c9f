/*
 * The keys of a row (as jsonb) that row-change events never record: column names containing hash, token, secret or
 * password. Every row of a table has the same keys, so a statement asks once for all its rows (audit.tg__row_changes).
 */
create or replace function audit.secret_keys(row_values jsonb) returns text[]
language sql immutable as $$
  select coalesce(pg_catalog.array_agg(k), '{}')
  from pg_catalog.jsonb_object_keys(secret_keys.row_values) k
  where k ~ '(hash|token|secret|password)'
$$;
comment on function audit.secret_keys(jsonb) is
  'The keys of a row that row-change events redact: names containing hash, token, secret or password.';
